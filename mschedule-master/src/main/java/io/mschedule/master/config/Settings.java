package io.mschedule.master.config;

import java.util.function.Function;

/** Parsing helpers whose errors name the setting and the allowed range. */
final class Settings {
  record HostPort(String host, int port) {}

  private Settings() {}

  static String string(Function<String, String> get, String key, String defaultValue) {
    String v = get.apply(key);
    return v == null || v.isBlank() ? defaultValue : v.trim();
  }

  static int intIn(Function<String, String> get, String key, int defaultValue, int min, int max) {
    String v = get.apply(key);
    if (v == null || v.isBlank()) {
      return defaultValue;
    }
    int n;
    try {
      n = Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(key + ": expected a whole number, got '" + v + "'");
    }
    if (n < min || n > max) {
      throw new ConfigException(key + ": must be between " + min + " and " + max + ", got " + n);
    }
    return n;
  }

  static HostPort hostPort(String key, String value) {
    int colon = value.lastIndexOf(':');
    if (colon <= 0) {
      throw new ConfigException(key + ": expected HOST:PORT, got '" + value + "'");
    }
    try {
      int port = Integer.parseInt(value.substring(colon + 1));
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return new HostPort(value.substring(0, colon), port);
    } catch (NumberFormatException e) {
      throw new ConfigException(key + ": port must be 0-65535 in '" + value + "'");
    }
  }

  /** A readable regular file, or null when the setting is not set. */
  static java.nio.file.Path readableFile(Function<String, String> get, String key) {
    String v = string(get, key, null);
    if (v == null) {
      return null;
    }
    java.nio.file.Path p = java.nio.file.Path.of(v).toAbsolutePath();
    if (!java.nio.file.Files.isRegularFile(p) || !java.nio.file.Files.isReadable(p)) {
      throw new ConfigException(key + ": not a readable file: " + p);
    }
    return p;
  }
}
