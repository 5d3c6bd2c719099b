package io.mschedule.cli;

import io.mschedule.cli.client.AgentKey;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mschedule keys}: decide which agent keys may join (admin). */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = {
      "Agent keys: a new agent's key is pending and gets no task until accepted.",
      "  keys list | keys accept ID | keys accept --all | keys reject ID | keys delete ID"
    },
    subcommands = {
      KeysCommand.ListKeys.class,
      KeysCommand.Accept.class,
      KeysCommand.Reject.class,
      KeysCommand.Delete.class
    })
public final class KeysCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List agent keys.")
  static final class ListKeys implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ServerOptions server;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
      List<AgentKey> keys = server.client().keys();
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        JsonOutput.print(out, keys);
        return ExitCodes.OK;
      }
      TableFormatter t = new TableFormatter("AGENT", "STATE", "PUBLIC KEY", "DECIDED BY");
      for (AgentKey k : keys) {
        t.row(k.agentId(), k.state(), k.publicKey(), k.decidedBy());
      }
      out.print(t.render());
      out.flush();
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "accept",
      mixinStandardHelpOptions = true,
      description = "Accept a pending key (or all with --all).")
  static final class Accept implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ServerOptions server;

    @Option(names = "--all", description = "Accept every pending key.")
    boolean all;

    @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "The agent id.")
    String id;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      if (all == (id != null)) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), "give an agent ID or --all (not both)");
      }
      if (all) {
        out.println("accepted " + server.client().acceptAllKeys() + " key(s)");
      } else {
        AgentKey k = server.client().acceptKey(id);
        out.println("key of agent " + k.agentId() + " " + k.state());
      }
      out.flush();
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "reject",
      mixinStandardHelpOptions = true,
      description = "Reject a key: the agent is refused from now on.")
  static final class Reject implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ServerOptions server;

    @Parameters(index = "0", paramLabel = "ID", description = "The agent id.")
    String id;

    @Override
    public Integer call() {
      AgentKey k = server.client().rejectKey(id);
      spec.commandLine().getOut().println("key of agent " + k.agentId() + " " + k.state());
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description =
          "Forget a key: the agent leaves the fleet (a re-installed agent may then join again).")
  static final class Delete implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ServerOptions server;

    @Parameters(index = "0", paramLabel = "ID", description = "The agent id.")
    String id;

    @Override
    public Integer call() {
      server.client().deleteKey(id);
      spec.commandLine().getOut().println("key of agent " + id + " deleted");
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
  }
}
