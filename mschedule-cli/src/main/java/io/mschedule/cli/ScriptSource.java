package io.mschedule.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** Reads a script from {@code -c}, a FILE, or standard input ({@code -}). */
final class ScriptSource {
  private ScriptSource() {}

  static String read(String command, String file, InputStream stdin, CommandLine cl) {
    if (command != null && file != null) {
      throw new ParameterException(cl, "give the script either with -c or as FILE / '-', not both");
    }
    if (command == null && file == null) {
      throw new ParameterException(
          cl, "no script: give -c 'COMMAND', a FILE, or '-' for standard input");
    }
    String script;
    if (command != null) {
      script = command;
    } else if (file.equals("-")) {
      try {
        script = new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new CliException("cannot read the script from standard input: " + e.getMessage());
      }
    } else {
      Path path = Path.of(file);
      if (!Files.isRegularFile(path)) {
        throw new CliException("no such script file: " + file);
      }
      try {
        script = Files.readString(path, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new CliException("cannot read the script file " + file + ": " + e.getMessage());
      }
    }
    if (script.isBlank()) {
      throw new ParameterException(cl, "the script is empty");
    }
    return script.endsWith("\n") ? script : script + "\n";
  }
}
