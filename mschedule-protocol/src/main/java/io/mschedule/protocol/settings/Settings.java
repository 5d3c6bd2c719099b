package io.mschedule.protocol.settings;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Settings merged from their sources, with typed getters. Precedence: a flag wins over the
 * environment ({@code MSCHEDULE_} + the key upper-cased, {@code -} as {@code _}), which wins over
 * the settings file, which wins over the default. A blank value counts as not set. Every getter
 * reports a bad value with a {@link SettingsException} naming the key, the value, what is allowed
 * and where the value came from.
 */
public final class Settings {
  private static final Pattern ENDPOINT = Pattern.compile("tcp://([^:/\\s]+):(\\d{1,5})");

  private final List<String> keys;
  private final Map<String, SettingValue> values;
  private final Map<String, String> options;

  private Settings(
      List<String> keys, Map<String, SettingValue> values, Map<String, String> options) {
    this.keys = keys;
    this.values = values;
    this.options = options;
  }

  /** Starts collecting the sources of the settings named {@code keys}. */
  public static Builder builder(Collection<String> keys) {
    return new Builder(keys);
  }

  /** The environment variable for a key: {@code data-dir} is {@code MSCHEDULE_DATA_DIR}. */
  public static String environmentName(String key) {
    return "MSCHEDULE_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  /** The keys these settings understand, in their documented order. */
  public List<String> keys() {
    return keys;
  }

  /** The value that won for {@code key}, or empty when the default applies. */
  public Optional<SettingValue> value(String key) {
    check(key);
    return Optional.ofNullable(values.get(key));
  }

  /** Where the value of {@code key} came from ({@link SettingSource#defaultValue()} if unset). */
  public SettingSource sourceOf(String key) {
    return value(key).map(SettingValue::source).orElse(SettingSource.defaultValue());
  }

  public String string(String key, String defaultValue) {
    return value(key).map(SettingValue::text).orElse(defaultValue);
  }

  /** The value of a setting without default; {@code what} says what it is and where to find it. */
  public String required(String key, String what) {
    return value(key).map(SettingValue::text).orElseThrow(() -> missing(key, what));
  }

  public int intIn(String key, int defaultValue, int min, int max) {
    return parse(
        key, defaultValue, v -> integer(v, min, max, "a whole number from " + min + " to " + max));
  }

  /** A whole number of seconds. */
  public Duration seconds(String key, int defaultSeconds, int min, int max) {
    return Duration.ofSeconds(
        parse(
            key,
            defaultSeconds,
            v -> integer(v, min, max, "whole seconds from " + min + " to " + max)));
  }

  /** {@code HOST:PORT}, port 0-65535 (0: any free port). */
  public HostPort hostPort(String key, String defaultValue) {
    return parse(key, defaultValue == null ? null : hostPort(defaultValue), Settings::hostPort);
  }

  /** A zerorpc endpoint {@code tcp://HOST:PORT}, or {@code defaultValue} (may be null) if unset. */
  public String endpoint(String key, String defaultValue) {
    return parse(
        key,
        defaultValue,
        v -> {
          Matcher m = ENDPOINT.matcher(v.text());
          if (!m.matches() || Integer.parseInt(m.group(2)) > 65535) {
            throw bad(v, "tcp://HOST:PORT with a port from 0 to 65535");
          }
          return v.text();
        });
  }

  /**
   * A comma-separated list of zerorpc endpoints {@code tcp://HOST:PORT,tcp://HOST:PORT}, in order,
   * without repeats; {@code defaultValue} when unset.
   */
  public List<String> endpoints(String key, List<String> defaultValue) {
    return parse(
        key,
        defaultValue,
        v -> {
          List<String> out = new java.util.ArrayList<>();
          for (String part : v.text().split(",", -1)) {
            String e = part.trim();
            Matcher m = ENDPOINT.matcher(e);
            if (!m.matches() || Integer.parseInt(m.group(2)) > 65535) {
              throw bad(
                  v,
                  "tcp://HOST:PORT with a port from 0 to 65535, or several separated by commas"
                      + (e.isEmpty() ? " (an entry is empty)" : " ('" + e + "' is not)"));
            }
            if (out.contains(e)) {
              throw bad(v, "each endpoint once ('" + e + "' is listed twice)");
            }
            out.add(e);
          }
          return List.copyOf(out);
        });
  }

  /** A directory or file path, made absolute. */
  public Path path(String key, String defaultValue) {
    return parse(
        key,
        Path.of(defaultValue).toAbsolutePath(),
        v -> {
          try {
            return Path.of(v.text()).toAbsolutePath();
          } catch (InvalidPathException e) {
            throw bad(v, "a file system path");
          }
        });
  }

  /** A readable regular file, made absolute; null when the setting is not set. */
  public Path readableFile(String key) {
    return parse(
        key,
        null,
        v -> {
          Path p;
          try {
            p = Path.of(v.text()).toAbsolutePath();
          } catch (InvalidPathException e) {
            throw bad(v, "a readable file");
          }
          if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw bad(
                v,
                "a readable file ("
                    + p
                    + (Files.exists(p) ? " is not a readable regular file)" : " does not exist)"));
          }
          return p;
        });
  }

  /** {@code k=v,k2=v2}; empty when not set. */
  public Map<String, String> labels(String key) {
    return parse(
        key,
        Map.of(),
        v -> {
          Map<String, String> out = new LinkedHashMap<>();
          for (String part : v.text().split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
              continue;
            }
            int eq = p.indexOf('=');
            if (eq <= 0 || eq == p.length() - 1) {
              throw bad(v, "KEY=VALUE pairs separated by commas ('" + p + "' is not one)");
            }
            out.put(p.substring(0, eq).strip(), p.substring(eq + 1).strip());
          }
          return out;
        });
  }

  /**
   * Parses {@code key} with {@code parser}, which may throw {@link IllegalArgumentException}: its
   * message, which should say what is allowed, is reported with the value and its source.
   */
  public <T> T custom(String key, T defaultValue, Function<String, T> parser) {
    return parse(
        key,
        defaultValue,
        v -> {
          try {
            return parser.apply(v.text());
          } catch (SettingsException e) {
            throw e;
          } catch (IllegalArgumentException e) {
            throw invalid(key, e.getMessage());
          }
        });
  }

  /**
   * An error for the current value of {@code key}: {@code key = 'value' (from SOURCE): problem}.
   * For checks between settings, e.g. one that needs another.
   */
  public SettingsException invalid(String key, String problem) {
    SettingValue v = value(key).orElse(null);
    if (v == null) {
      return new SettingsException(key + " (default): " + problem);
    }
    return new SettingsException(describe(v) + ": " + problem);
  }

  private <T> T parse(String key, T defaultValue, Function<SettingValue, T> parser) {
    SettingValue v = value(key).orElse(null);
    return v == null ? defaultValue : parser.apply(v);
  }

  private static int integer(SettingValue v, int min, int max, String allowed) {
    try {
      int n = Integer.parseInt(v.text());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw bad(v, allowed);
  }

  private static HostPort hostPort(SettingValue v) {
    int colon = v.text().lastIndexOf(':');
    if (colon > 0) {
      try {
        int port = Integer.parseInt(v.text().substring(colon + 1));
        if (port >= 0 && port <= 65535) {
          return new HostPort(v.text().substring(0, colon), port);
        }
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw bad(v, "HOST:PORT with a port from 0 to 65535");
  }

  private static HostPort hostPort(String text) {
    return hostPort(new SettingValue("default", text, SettingSource.defaultValue()));
  }

  private static SettingsException bad(SettingValue v, String allowed) {
    return new SettingsException(describe(v) + ": expected " + allowed);
  }

  private static String describe(SettingValue v) {
    return v.key() + " = '" + v.text() + "' (from " + v.source() + ")";
  }

  private SettingsException missing(String key, String what) {
    String option = options.get(key);
    return new SettingsException(
        key
            + " is not set: "
            + what
            + "; give it with "
            + (option == null ? "" : option + ", ")
            + "environment variable "
            + environmentName(key)
            + " or '"
            + key
            + " = ...' in the --config file");
  }

  private void check(String key) {
    if (!keys.contains(key)) {
      throw new IllegalArgumentException("not a setting: " + key);
    }
  }

  /** Collects the sources; the order of the calls does not matter. */
  public static final class Builder {
    private final List<String> keys;
    private final Map<String, SettingValue> defaults = new LinkedHashMap<>();
    private final Map<String, SettingValue> file = new LinkedHashMap<>();
    private final Map<String, SettingValue> environment = new LinkedHashMap<>();
    private final Map<String, SettingValue> flags = new LinkedHashMap<>();
    private final Map<String, String> options = new LinkedHashMap<>();

    private Builder(Collection<String> keys) {
      this.keys = List.copyOf(keys);
    }

    /** Defaults of this command that differ from the built-in ones (the lowest precedence). */
    public Builder defaults(Map<String, String> values) {
      values.forEach((k, v) -> put(defaults, k, v, SettingSource.defaultValue()));
      return this;
    }

    /** The settings file, or nothing when {@code path} is null. */
    public Builder file(Path path) {
      if (path != null) {
        file.clear();
        SettingsFile.read(path, keys)
            .values()
            .forEach(v -> put(file, v.key(), v.text(), v.source()));
      }
      return this;
    }

    /** Reads {@code MSCHEDULE_*} variables of every key from {@code env}. */
    public Builder environment(Map<String, String> env) {
      for (String key : keys) {
        String name = environmentName(key);
        put(environment, key, env.get(name), SettingSource.environment(name));
      }
      return this;
    }

    /**
     * A command-line flag: {@code value} is null when the flag was not given. {@code option} (e.g.
     * {@code --data-dir}) is named in errors.
     */
    public Builder flag(String key, String option, String value) {
      check(key);
      options.put(key, option);
      put(flags, key, value, SettingSource.flag(option));
      return this;
    }

    /** Values set like flags named {@code --KEY} (null values are skipped). */
    public Builder flags(Map<String, String> values) {
      values.forEach((k, v) -> flag(k, "--" + k, v));
      return this;
    }

    public Settings build() {
      Map<String, SettingValue> merged = new LinkedHashMap<>();
      for (Map<String, SettingValue> layer : List.of(defaults, file, environment, flags)) {
        merged.putAll(layer);
      }
      return new Settings(keys, Map.copyOf(merged), Map.copyOf(options));
    }

    private void put(Map<String, SettingValue> layer, String key, String text, SettingSource s) {
      check(key);
      if (text != null && !text.isBlank()) {
        layer.put(key, new SettingValue(key, text.strip(), s));
      } else {
        layer.remove(key);
      }
    }

    private void check(String key) {
      if (!keys.contains(key)) {
        throw new IllegalArgumentException("not a setting: " + key);
      }
    }
  }
}
