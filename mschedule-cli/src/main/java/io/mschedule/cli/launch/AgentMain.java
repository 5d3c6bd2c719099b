package io.mschedule.cli.launch;

import io.mschedule.cli.CliException;
import io.mschedule.cli.VersionProvider;
import io.mschedule.protocol.settings.SettingsException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The entry point of the lean agent jar ({@code mschedule-agent.jar}): {@code mschedule agent ...}
 * with the same flags as the full jar, and nothing of the master, its web server, database or the
 * client commands. The launcher runs it for {@code mschedule agent}; it is the only jar of the
 * agent-only tarball.
 */
@Command(
    name = "mschedule",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"The mschedule agent: connects to the master, runs the scripts it sends.", ""},
    subcommands = AgentCommand.class)
public final class AgentMain implements Runnable {
  static final String ONLY_AGENT =
      "this install runs only 'mschedule agent'; the other commands are in the full"
          + " mschedule tarball";

  /** Exit status of errors, as {@code ExitCodes.ERROR} of the full command line. */
  static final int ERROR = 1;

  @Spec CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit status. */
  public static int execute(String... args) {
    CommandLine cl = new CommandLine(new AgentMain());
    cl.getCommandSpec().exitCodeOnInvalidInput(ERROR);
    CommandSpec agent = cl.getSubcommands().get("agent").getCommandSpec();
    agent.exitCodeOnInvalidInput(ERROR);
    agent.versionProvider(new VersionProvider());
    cl.setExecutionExceptionHandler(AgentMain::handleExecutionException);
    cl.setParameterExceptionHandler(AgentMain::handleParseException);
    return cl.execute(args);
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing command: " + ONLY_AGENT);
  }

  /** Bad settings as one line on stderr, bugs with their stack trace; exit status 1. */
  private static int handleExecutionException(
      Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    if (ex instanceof CliException || ex instanceof SettingsException) {
      err.println("mschedule: " + ex.getMessage());
    } else {
      err.println("mschedule: internal error: " + ex);
      ex.printStackTrace(err);
    }
    err.flush();
    return ERROR;
  }

  /** Usage errors: the message and a pointer to --help; exit status 1. */
  private static int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("mschedule: " + ex.getMessage());
    if (cmd.getParent() == null && ex instanceof UnmatchedArgumentException) {
      err.println("mschedule: " + ONLY_AGENT);
    }
    err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
    return ERROR;
  }
}
