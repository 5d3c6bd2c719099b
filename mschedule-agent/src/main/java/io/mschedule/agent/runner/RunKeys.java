package io.mschedule.agent.runner;

/**
 * Names one attempt of a run on this agent: the task id for a first attempt (as agents always named
 * runs), {@code <task id>#<attempt>} for a retry. Runs, spooled results and run markers are kept
 * under this name, so a retry of a task is a run of its own while a repeated order of the same
 * attempt is still recognised.
 */
public final class RunKeys {
  private RunKeys() {}

  /** The name of attempt {@code attempt} (from 1) of the task's run. */
  public static String of(String taskId, int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be at least 1, got " + attempt);
    }
    return attempt == 1 ? taskId : taskId + "#" + attempt;
  }

  /** The task id in a run name. */
  public static String taskId(String key) {
    int at = split(key);
    return at < 0 ? key : key.substring(0, at);
  }

  /** The attempt in a run name: 1 when it names none. */
  public static int attempt(String key) {
    int at = split(key);
    return at < 0 ? 1 : Integer.parseInt(key.substring(at + 1));
  }

  /** Where {@code #<attempt>} starts, or -1 when the name has no attempt of 2 or more. */
  private static int split(String key) {
    int at = key.lastIndexOf('#');
    String digits = at <= 0 ? "" : key.substring(at + 1);
    if (!digits.matches("[1-9][0-9]{0,8}")) {
      return -1;
    }
    return Integer.parseInt(digits) >= 2 ? at : -1;
  }
}
