package io.mschedule.protocol.settings;

import java.nio.file.Path;

/** Where a setting's value came from, as shown in error messages. */
public record SettingSource(Kind kind, String where) {

  /** The kinds of source, lowest precedence first. */
  public enum Kind {
    DEFAULT,
    FILE,
    ENVIRONMENT,
    FLAG
  }

  /** A built-in default of the command (never from the user). */
  public static SettingSource defaultValue() {
    return new SettingSource(Kind.DEFAULT, "default");
  }

  public static SettingSource file(Path file, int line) {
    return new SettingSource(Kind.FILE, "file " + file + " line " + line);
  }

  public static SettingSource environment(String variable) {
    return new SettingSource(Kind.ENVIRONMENT, "environment variable " + variable);
  }

  /** A command-line flag such as {@code --data-dir}, or a value set by the program itself. */
  public static SettingSource flag(String option) {
    return new SettingSource(Kind.FLAG, "flag " + option);
  }

  @Override
  public String toString() {
    return where;
  }
}
