package io.mschedule.master.security;

import io.mschedule.master.store.Role;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one table of who may call what. The first rule that matches a request decides the role it
 * needs; a request no rule matches needs {@link Role#ADMIN}, so a new write route is closed until
 * it is listed here.
 */
public final class RoutePermissions {
  /**
   * @param method an HTTP method, or null for any
   * @param pattern a path whose segments are literal, {@code *} (one segment) or, last, {@code **}
   *     (any number of segments, none included)
   */
  public record Rule(String method, String pattern, Role role) {}

  /** The table, in the order it is applied. */
  public static final List<Rule> RULES =
      List.of(
          new Rule(null, "/api/v1/keys/**", Role.ADMIN),
          new Rule(null, "/api/v1/tokens/**", Role.ADMIN),
          new Rule(null, "/api/v1/join-tokens/**", Role.ADMIN),
          new Rule(null, "/api/v1/audit/**", Role.ADMIN),
          new Rule("POST", "/api/v1/tasks", Role.OPERATOR),
          new Rule("POST", "/api/v1/files", Role.OPERATOR),
          new Rule("POST", "/api/v1/tasks/*/kill", Role.OPERATOR),
          new Rule("DELETE", "/api/v1/agents/*", Role.ADMIN),
          new Rule("POST", "/api/v1/targets/preview", Role.VIEWER),
          new Rule("POST", "/api/v1/tasks/*/rerun", Role.OPERATOR),
          new Rule("POST", "/api/v1/jobs/*/versions", Role.ADMIN),
          new Rule("POST", "/api/v1/jobs/*/rollback", Role.ADMIN),
          new Rule("DELETE", "/api/v1/jobs/*", Role.ADMIN),
          new Rule("POST", "/api/v1/schedules/*/trigger", Role.OPERATOR),
          new Rule("POST", "/api/v1/schedules", Role.ADMIN),
          new Rule("POST", "/api/v1/schedules/*/pause", Role.ADMIN),
          new Rule("POST", "/api/v1/schedules/*/resume", Role.ADMIN),
          new Rule("DELETE", "/api/v1/schedules/*", Role.ADMIN),
          new Rule("GET", "/api/**", Role.VIEWER),
          new Rule("HEAD", "/api/**", Role.VIEWER),
          new Rule("GET", "/metrics", Role.VIEWER));

  private RoutePermissions() {}

  /** The role a request needs; {@code rawPath} as sent (percent-encoded). */
  public static Role required(String method, String rawPath) {
    List<String> path = segments(canonical(rawPath));
    String m = method == null ? "" : method.toUpperCase(Locale.ROOT);
    for (Rule r : RULES) {
      if ((r.method() == null || r.method().equals(m)) && matches(segments(r.pattern()), path)) {
        return r.role();
      }
    }
    return Role.ADMIN;
  }

  /**
   * The path decoded, in lower case, without path parameters ({@code ;x=y}), with empty and {@code
   * .} segments dropped and {@code ..} applied: the spellings a router might treat alike all
   * classify alike.
   */
  static String canonical(String rawPath) {
    String decoded = percentDecode(rawPath == null ? "" : rawPath).toLowerCase(Locale.ROOT);
    List<String> out = new ArrayList<>();
    for (String segment : decoded.split("/")) {
      int semicolon = segment.indexOf(';');
      String s = semicolon >= 0 ? segment.substring(0, semicolon) : segment; // path parameters
      if (s.isEmpty() || s.equals(".")) {
        continue;
      }
      if (s.equals("..")) {
        if (!out.isEmpty()) {
          out.remove(out.size() - 1);
        }
        continue;
      }
      out.add(s);
    }
    return "/" + String.join("/", out);
  }

  private static List<String> segments(String path) {
    List<String> out = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }

  private static boolean matches(List<String> pattern, List<String> path) {
    for (int i = 0; i < pattern.size(); i++) {
      String p = pattern.get(i);
      if (p.equals("**") && i == pattern.size() - 1) {
        return true;
      }
      if (i >= path.size() || !(p.equals("*") || p.equals(path.get(i)))) {
        return false;
      }
    }
    return pattern.size() == path.size();
  }

  private static String percentDecode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '%' && hex(s, i + 1) >= 0 && hex(s, i + 2) >= 0) {
        out.write(hex(s, i + 1) * 16 + hex(s, i + 2));
        i += 3;
      } else {
        int cp = s.codePointAt(i);
        byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
        i += Character.charCount(cp);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static int hex(String s, int i) {
    return i < s.length() ? Character.digit(s.charAt(i), 16) : -1;
  }
}
