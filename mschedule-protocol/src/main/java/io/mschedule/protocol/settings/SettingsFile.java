package io.mschedule.protocol.settings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a settings file: one {@code key = value} per line; blank lines and lines starting with
 * {@code #} are ignored. A key that is not a setting, a line without {@code =} and a key given
 * twice are errors naming the file and line, so a typo is never silently ignored.
 */
final class SettingsFile {
  private SettingsFile() {}

  static Map<String, SettingValue> read(Path file, Collection<String> keys) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new SettingsException(
          "--config: cannot read the settings file " + file + ": " + describe(e));
    }
    Map<String, SettingValue> out = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      SettingSource source = SettingSource.file(file, i + 1);
      int eq = line.indexOf('=');
      if (eq < 0) {
        throw new SettingsException(
            "'" + line + "' in " + source + ": expected 'key = value' (or a # comment)");
      }
      String key = line.substring(0, eq).strip();
      if (!keys.contains(key)) {
        throw new SettingsException(
            "unknown setting '"
                + key
                + "' in "
                + source
                + "; known settings: "
                + String.join(", ", keys));
      }
      SettingValue earlier = out.get(key);
      if (earlier != null) {
        throw new SettingsException(
            key
                + " is set twice in "
                + file
                + " ("
                + earlier.source()
                + " and line "
                + (i + 1)
                + ")");
      }
      out.put(key, new SettingValue(key, line.substring(eq + 1).strip(), source));
    }
    return out;
  }

  private static String describe(IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
