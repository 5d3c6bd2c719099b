package io.mschedule.cli;

import io.mschedule.cli.client.ApiException;
import io.mschedule.cli.launch.AgentCommand;
import io.mschedule.cli.launch.MasterCommand;
import io.mschedule.cli.launch.RelayCommand;
import io.mschedule.cli.launch.UpCommand;
import io.mschedule.protocol.settings.SettingsException;
import java.io.PrintWriter;
import java.util.List;
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
    footer = {
      "",
      "The master is found at --server, else $MSCHEDULE_SERVER, else",
      "http://127.0.0.1:8080; a token at --token, else $MSCHEDULE_TOKEN, else the",
      "one saved for that master by 'mschedule login' (or 'mschedule up').",
      "Run 'mschedule COMMAND --help' for the options of a command."
    })
public final class Main implements Runnable {
  /** The commands that speak to a master over HTTP (and load nothing of the master or agent). */
  static final List<String> CLIENT_COMMANDS =
      List.of(
          "run",
          "cp",
          "task",
          "tasks",
          "kill",
          "rerun",
          "job",
          "schedule",
          "agents",
          "relays",
          "cluster",
          "keys",
          "login",
          "token",
          "audit");

  /** Every command, in the order of the usage. */
  static final List<String> ALL =
      List.of(
          "run",
          "cp",
          "task",
          "tasks",
          "kill",
          "rerun",
          "job",
          "schedule",
          "agents",
          "relays",
          "cluster",
          "keys",
          "master",
          "agent",
          "relay",
          "up",
          "login",
          "token",
          "audit",
          "help");

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

  /**
   * Runs the command line and returns the exit status. A client command gets a command line with
   * only itself: it loads neither the other commands nor any class of the master or the agent.
   */
  public static int execute(String... args) {
    return commandLine(args).execute(args);
  }

  /** A fully configured command line with every command, ready to {@code execute}. */
  public static CommandLine commandLine() {
    return commandLine(ALL);
  }

  /** The command line {@code args} need: as small as it can be for a client command. */
  static CommandLine commandLine(String... args) {
    String name = commandName(args);
    if (name == null) {
      boolean versionOnly = args.length > 0;
      for (String a : args) {
        versionOnly &= a.equals("-V") || a.equals("--version");
      }
      return commandLine(versionOnly ? List.of() : ALL);
    }
    return CLIENT_COMMANDS.contains(name) ? commandLine(List.of(name)) : commandLine(ALL);
  }

  /** The first argument that is not an option ({@code --server} and {@code --token} take one). */
  static String commandName(String... args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--server") || a.equals("--token")) {
        i++;
      } else if (!a.startsWith("-")) {
        return a;
      }
    }
    return null;
  }

  /** A configured command line with the named commands (in the order of the usage). */
  static CommandLine commandLine(List<String> commands) {
    CommandLine cl = new CommandLine(new Main());
    for (String name : commands) {
      cl.addSubcommand(name, commandClass(name));
    }
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

  /**
   * The class of a command: a method rather than a table of class literals, so that only the class
   * of the command that runs is loaded.
   */
  private static Class<?> commandClass(String name) {
    return switch (name) {
      case "run" -> RunCommand.class;
      case "cp" -> CpCommand.class;
      case "task" -> TaskCommand.class;
      case "tasks" -> TasksCommand.class;
      case "kill" -> KillCommand.class;
      case "rerun" -> RerunCommand.class;
      case "job" -> JobCommand.class;
      case "schedule" -> ScheduleCommand.class;
      case "agents" -> AgentsCommand.class;
      case "relays" -> RelaysCommand.class;
      case "cluster" -> ClusterCommand.class;
      case "keys" -> KeysCommand.class;
      case "master" -> MasterCommand.class;
      case "agent" -> AgentCommand.class;
      case "relay" -> RelayCommand.class;
      case "up" -> UpCommand.class;
      case "login" -> LoginCommand.class;
      case "token" -> TokenCommand.class;
      case "audit" -> AuditCommand.class;
      case "help" -> CommandLine.HelpCommand.class;
      default -> throw new IllegalArgumentException("no command " + name);
    };
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
