package io.mschedule.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** Reads {@code -e KEY=VALUE} options (the master checks the names). */
final class EnvOptions {
  private EnvOptions() {}

  static Map<String, String> parse(List<String> items, CommandLine cl) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String item : items) {
      int eq = item.indexOf('=');
      if (eq <= 0) {
        throw new ParameterException(cl, "-e expects KEY=VALUE, got '" + item + "'");
      }
      String key = item.substring(0, eq);
      if (env.put(key, item.substring(eq + 1)) != null) {
        throw new ParameterException(cl, "-e " + key + " is given twice");
      }
    }
    return env;
  }
}
