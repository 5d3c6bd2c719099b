package io.mschedule.master.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.mschedule.master.task.FileRequest;
import io.mschedule.master.task.Script;
import io.mschedule.master.task.TaskRequest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads a task submission from JSON; type errors name the field. */
public final class TaskRequestParser {
  private TaskRequestParser() {}

  /** The body as a JSON object. */
  public static JsonNode object(String body) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new ApiException(400, "body: not valid JSON: " + e.getOriginalMessage(), null);
    }
    if (root == null || !root.isObject()) {
      throw new ApiException(400, "body: expected a JSON object", null);
    }
    return root;
  }

  static TaskRequest parse(String body, int maxTargets) {
    return parse(object(body), maxTargets);
  }

  /** A submission from a JSON object (schedules keep their settings in one). */
  public static TaskRequest parse(JsonNode root) {
    return parse(root, Integer.MAX_VALUE);
  }

  /** A submission from a JSON object; {@code targets} may list at most {@code maxTargets}. */
  public static TaskRequest parse(JsonNode root, int maxTargets) {
    Script script = script(root);
    List<String> targets = new ArrayList<>();
    JsonNode t = root.get("targets");
    if (t != null && !t.isNull()) {
      if (!t.isArray()) {
        throw bad("targets", "an array of strings (write [\"all\"], not \"all\")");
      }
      if (t.size() > maxTargets) {
        throw new ApiException(
            400,
            "targets: at most " + maxTargets + " targets (max-targets), got " + t.size(),
            "targets");
      }
      Set<String> seen = new HashSet<>();
      for (JsonNode item : t) {
        if (!item.isTextual()) {
          throw bad("targets", "an array of strings");
        }
        if (!seen.add(item.asText())) {
          throw new ApiException(
              400, "targets: '" + clip(item.asText()) + "' is listed twice", "targets");
        }
        targets.add(item.asText());
      }
    }
    Object parallel = null;
    JsonNode p = root.get("parallel");
    if (p != null && !p.isNull()) {
      if (p.isIntegralNumber()) {
        if (!p.canConvertToInt()) {
          throw bad("parallel", "a whole number that fits in 32 bits, or a percentage");
        }
        parallel = p.asLong();
      } else if (p.isTextual()) {
        parallel = p.asText();
      } else {
        throw bad("parallel", "a whole number or a percentage string like \"50%\"");
      }
    }
    JsonNode job = root.get("job");
    if (job != null && !job.isNull() && !job.isTextual()) {
      throw bad("job", "a string NAME or NAME@N");
    }
    return new TaskRequest(
        script,
        targets,
        parallel,
        number(root, "fail_rate"),
        integer(root, "fail_count"),
        integer(root, "timeout"),
        env(root),
        job == null || job.isNull() ? null : job.asText(),
        null,
        files(root),
        bool(root, "copy"),
        integer(root, "retries"),
        integer(root, "retry_delay"));
  }

  /** {@code files}: an array of objects {sha256, dest, mode?, owner?}; empty when absent. */
  static List<FileRequest> files(JsonNode root) {
    JsonNode f = root.get("files");
    if (f == null || f.isNull()) {
      return List.of();
    }
    if (!f.isArray()) {
      throw bad("files", "an array of objects {sha256, dest, mode, owner}");
    }
    List<FileRequest> out = new ArrayList<>();
    for (JsonNode item : f) {
      if (!item.isObject()) {
        throw bad("files", "an array of objects {sha256, dest, mode, owner}");
      }
      out.add(
          new FileRequest(
              text(item, "sha256"), text(item, "dest"), text(item, "mode"), text(item, "owner")));
    }
    return out;
  }

  private static String text(JsonNode item, String field) {
    JsonNode v = item.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw bad("files", "files[]." + field + " to be a string");
    }
    return v.asText();
  }

  private static boolean bool(JsonNode root, String field) {
    JsonNode v = root.get(field);
    if (v == null || v.isNull()) {
      return false;
    }
    if (!v.isBoolean()) {
      throw bad(field, "true or false");
    }
    return v.asBoolean();
  }

  /**
   * The script: {@code script} (text, run as its UTF-8 bytes) or {@code script_b64} (the bytes in
   * Base64, for scripts that are not UTF-8), not both; null when neither is given.
   */
  static Script script(JsonNode root) {
    JsonNode text = present(root.get("script"));
    JsonNode b64 = present(root.get("script_b64"));
    if (text != null && b64 != null) {
      throw new ApiException(
          400, "script_b64: give either script (text) or script_b64 (Base64), not both", "script");
    }
    if (text != null) {
      if (!text.isTextual()) {
        throw bad("script", "a string");
      }
      return Script.of(text.asText());
    }
    if (b64 != null) {
      if (!b64.isTextual()) {
        throw bad("script_b64", "a string of Base64");
      }
      try {
        return Script.of(Base64.getMimeDecoder().decode(strictBase64(b64.asText())));
      } catch (IllegalArgumentException e) {
        throw new ApiException(
            400, "script_b64: not valid Base64 (" + e.getMessage() + ")", "script_b64");
      }
    }
    return null;
  }

  /** The text when it holds only Base64 characters and line breaks, else an exception. */
  private static String strictBase64(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean ok =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '+'
              || c == '/'
              || c == '='
              || c == '\n'
              || c == '\r';
      if (!ok) {
        throw new IllegalArgumentException("character '" + c + "' at " + i);
      }
    }
    return text;
  }

  private static JsonNode present(JsonNode n) {
    return n == null || n.isNull() ? null : n;
  }

  /** An object of string values, or null when absent. */
  public static Map<String, String> env(JsonNode root) {
    JsonNode e = root.get("env");
    if (e == null || e.isNull()) {
      return null;
    }
    if (!e.isObject()) {
      throw bad("env", "an object of strings");
    }
    Map<String, String> out = new LinkedHashMap<>();
    var fields = e.fields();
    while (fields.hasNext()) {
      var f = fields.next();
      if (!f.getValue().isTextual()) {
        throw new ApiException(400, "env: the value of " + f.getKey() + " must be a string", "env");
      }
      out.put(f.getKey(), f.getValue().asText());
    }
    return out;
  }

  private static Double number(JsonNode root, String field) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isNumber()) {
      throw bad(field, "a number");
    }
    return n.asDouble();
  }

  /** A whole-number field, or null when absent. */
  public static Integer integer(JsonNode root, String field) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isIntegralNumber() || !n.canConvertToInt()) {
      throw bad(field, "a whole number");
    }
    return n.asInt();
  }

  private static String clip(String s) {
    return s.length() <= 100 ? s : s.substring(0, 100) + "…";
  }

  private static ApiException bad(String field, String expected) {
    return new ApiException(400, field + ": expected " + expected, field);
  }
}
