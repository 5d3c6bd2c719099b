package io.mschedule.cli.launch;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Merges settings from a config file ({@code key = value}, Java properties syntax), the environment
 * ({@code MSCHEDULE_KEY_NAME} for {@code key-name}) and command-line flags. Flags win over the
 * environment, which wins over the file.
 */
final class SettingsLoader {
  private SettingsLoader() {}

  static Map<String, String> load(
      Path configFile, Iterable<String> keys, Map<String, String> env, Map<String, String> flags) {
    Map<String, String> out = new LinkedHashMap<>();
    if (configFile != null) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(configFile, StandardCharsets.UTF_8)) {
        p.load(r);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "--config: cannot read " + configFile + ": " + e.getMessage());
      }
      for (String name : p.stringPropertyNames()) {
        out.put(name.trim(), p.getProperty(name).trim());
      }
      for (String name : out.keySet()) {
        if (!contains(keys, name)) {
          throw new IllegalArgumentException(
              "--config: unknown setting '"
                  + name
                  + "' in "
                  + configFile
                  + "; known: "
                  + String.join(", ", keys));
        }
      }
    }
    for (String key : keys) {
      String v = env.get(envName(key));
      if (v != null && !v.isBlank()) {
        out.put(key, v);
      }
    }
    flags.forEach(
        (k, v) -> {
          if (v != null) {
            out.put(k, v);
          }
        });
    return out;
  }

  static String envName(String key) {
    return "MSCHEDULE_" + key.toUpperCase().replace('-', '_');
  }

  private static boolean contains(Iterable<String> keys, String name) {
    for (String k : keys) {
      if (k.equals(name)) {
        return true;
      }
    }
    return false;
  }
}
