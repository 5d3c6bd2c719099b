package io.mschedule.cli;

import io.mschedule.cli.client.ApiException;
import io.mschedule.cli.launch.AgentCommand;
import io.mschedule.cli.launch.MasterCommand;
import io.mschedule.cli.launch.UpCommand;
import io.mschedule.protocol.settings.SettingsException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/** The {@code mschedule} command line. */
@Command(
    name = "mschedule",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Run shell scripts on fleets of servers: if you can write shell, you can use it.",
      ""
    },
    subcommands = {
      RunCommand.class,
      TaskCommand.class,
      TasksCommand.class,
      KillCommand.class,
      RerunCommand.class,
      JobCommand.class,
      ScheduleCommand.class,
      AgentsCommand.class,
      ClusterCommand.class,
      KeysCommand.class,
      MasterCommand.class,
      AgentCommand.class,
      UpCommand.class,
      LoginCommand.class,
      TokenCommand.class,
      AuditCommand.class,
    },
    footer = {
      "",
      "The master is found at --server, else $MSCHEDULE_SERVER, else",
      "http://127.0.0.1:8080; a token at --token, else $MSCHEDULE_TOKEN, else the",
      "one saved for that master by 'mschedule login' (or 'mschedule up').",
      "Run 'mschedule COMMAND --help' for the options of a command."
    })
public final class Main implements Runnable {

  @Spec CommandSpec spec;

  @Option(
      names = "--server",
      paramLabel = "URL",
      description = "Master URL for the command that follows (it may come after it as well).")
  String server;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description = "API token for the command that follows (it may come after it as well).")
  String token;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit status. */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  /** A fully configured command line, ready to {@code execute}. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    cl.addSubcommand(new CommandLine.HelpCommand());
    configure(cl);
    cl.setExecutionExceptionHandler(new ErrorHandler());
    cl.setParameterExceptionHandler(new UsageErrorHandler());
    return cl;
  }

  /** Applies the common settings to a command and all its subcommands. */
  private static void configure(CommandLine cl) {
    CommandSpec spec = cl.getCommandSpec();
    spec.exitCodeOnInvalidInput(ExitCodes.ERROR);
    if (spec.versionProvider() == null && spec.version().length == 0) {
      spec.versionProvider(new VersionProvider());
    }
    for (CommandLine sub : cl.getSubcommands().values()) {
      configure(sub);
    }
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing command");
  }

  /**
   * API errors, user errors and bad settings as one line on stderr, exit status 1; bugs with their
   * stack trace.
   */
  static final class ErrorHandler implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
      PrintWriter err = cmd.getErr();
      if (ex instanceof ApiException api) {
        err.println("mschedule: " + Formats.apiError(api));
        if (api.status() == 401) {
          err.println(
              "mschedule: log in with 'mschedule login --server URL', or pass --token or"
                  + " $MSCHEDULE_TOKEN");
        }
      } else if (ex instanceof CliException || ex instanceof SettingsException) {
        err.println("mschedule: " + ex.getMessage());
      } else if (ex instanceof InterruptedException) {
        err.println("mschedule: interrupted");
      } else {
        err.println("mschedule: internal error: " + ex);
        ex.printStackTrace(err);
      }
      err.flush();
      return ExitCodes.ERROR;
    }
  }

  /**
   * Usage errors: the message and a pointer to --help (the whole usage when no command was given),
   * exit status 1.
   */
  static final class UsageErrorHandler implements IParameterExceptionHandler {
    @Override
    public int handleParseException(ParameterException ex, String[] args) {
      CommandLine cmd = ex.getCommandLine();
      PrintWriter err = cmd.getErr();
      if (cmd.getParent() == null && args.length == 0) {
        cmd.usage(err);
      } else {
        err.println("mschedule: " + ex.getMessage());
        UnmatchedArgumentException.printSuggestions(ex, err);
        err.println(
            "Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
      }
      err.flush();
      return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }
  }
}
