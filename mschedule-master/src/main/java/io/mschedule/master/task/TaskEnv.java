package io.mschedule.master.task;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Checks a task's parameters, the variables added to its script's environment. */
public final class TaskEnv {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Set<String> RESERVED = Set.of("PATH", "HOME", "SHELL", "USER");

  private TaskEnv() {}

  /**
   * The parameters sorted by name; null means none.
   *
   * @throws BadRequestException naming the first variable that is not allowed
   */
  public static Map<String, String> check(Map<String, String> env) {
    if (env == null) {
      return Map.of();
    }
    java.util.SortedMap<String, String> sorted = new TreeMap<>();
    for (Map.Entry<String, String> e : env.entrySet()) {
      String name = e.getKey();
      if (name == null || !NAME.matcher(name).matches()) {
        throw new BadRequestException(
            "env", "env: '" + name + "' is not a variable name (expected [A-Za-z_][A-Za-z0-9_]*)");
      }
      if (RESERVED.contains(name) || name.startsWith("MSCHEDULE_")) {
        throw new BadRequestException(
            "env",
            "env: "
                + name
                + " may not be set (PATH, HOME, SHELL, USER and MSCHEDULE_* are reserved)");
      }
      if (e.getValue() == null) {
        throw new BadRequestException("env", "env: " + name + " has no value");
      }
      if (e.getValue().indexOf('\0') >= 0) {
        throw new BadRequestException("env", "env: the value of " + name + " contains a NUL byte");
      }
      sorted.put(name, e.getValue());
    }
    return java.util.Collections.unmodifiableSortedMap(sorted);
  }
}
