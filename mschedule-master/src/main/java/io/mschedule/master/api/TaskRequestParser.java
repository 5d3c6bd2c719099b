package io.mschedule.master.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.mschedule.master.task.TaskRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads a task submission from JSON; type errors name the field. */
final class TaskRequestParser {
  private TaskRequestParser() {}

  static TaskRequest parse(String body, int maxTargets) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new ApiException(400, "body: not valid JSON: " + e.getOriginalMessage(), null);
    }
    if (root == null || !root.isObject()) {
      throw new ApiException(400, "body: expected a JSON object", null);
    }
    JsonNode script = root.get("script");
    if (script != null && !script.isNull() && !script.isTextual()) {
      throw bad("script", "a string");
    }
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
    return new TaskRequest(
        script == null || script.isNull() ? null : script.asText(),
        targets,
        parallel,
        number(root, "fail_rate"),
        integer(root, "fail_count"),
        integer(root, "timeout"));
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

  private static Integer integer(JsonNode root, String field) {
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
