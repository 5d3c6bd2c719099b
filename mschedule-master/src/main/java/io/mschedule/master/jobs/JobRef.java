package io.mschedule.master.jobs;

import io.mschedule.master.task.BadRequestException;
import java.util.regex.Pattern;

/**
 * {@code NAME} (the newest version) or {@code NAME@N}.
 *
 * @param version null for the newest
 */
public record JobRef(String name, Integer version) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  /**
   * @throws BadRequestException naming {@code field} when the text is no job reference
   */
  public static JobRef parse(String text, String field) {
    if (text == null || text.isBlank()) {
      throw new BadRequestException(field, field + ": a job name is required");
    }
    int at = text.lastIndexOf('@');
    String name = at < 0 ? text : text.substring(0, at);
    checkName(name, field);
    if (at < 0) {
      return new JobRef(name, null);
    }
    String n = text.substring(at + 1);
    try {
      int v = Integer.parseInt(n);
      if (v < 1) {
        throw new NumberFormatException();
      }
      return new JobRef(name, v);
    } catch (NumberFormatException e) {
      throw new BadRequestException(
          field, field + ": '" + n + "' after @ is not a version number (1, 2, ...)");
    }
  }

  /**
   * @throws BadRequestException naming {@code field} when the name is not allowed
   */
  public static String checkName(String name, String field) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new BadRequestException(
          field,
          field
              + ": '"
              + name
              + "' is not a job name (letters, digits, '.', '_', '-'; up to 128; no '@')");
    }
    return name;
  }

  @Override
  public String toString() {
    return version == null ? name : name + "@" + version;
  }
}
