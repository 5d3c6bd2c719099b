package io.mschedule.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the command line with captured output. */
final class Cli {
  final CommandLine cl = Main.commandLine();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  Cli() {
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
  }

  int run(String... args) {
    return cl.execute(args);
  }

  String out() {
    return out.toString();
  }

  String err() {
    return err.toString();
  }

  <T> T command(String name) {
    return cl.getSubcommands().get(name).getCommand();
  }
}
