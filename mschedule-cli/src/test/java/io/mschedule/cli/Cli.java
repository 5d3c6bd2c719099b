package io.mschedule.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the command line with captured output. */
public final class Cli {
  public final CommandLine cl = Main.commandLine();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  public Cli() {
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
  }

  public int run(String... args) {
    return cl.execute(args);
  }

  public String out() {
    return out.toString();
  }

  public String err() {
    return err.toString();
  }

  public <T> T command(String name) {
    return cl.getSubcommands().get(name).getCommand();
  }
}
