package io.mschedule.cli;

import io.mschedule.cli.client.AgentKey;
import io.mschedule.cli.client.MasterClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
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
      "  keys list | keys accept ID|GLOB | keys accept --all | keys reject ID | keys delete ID",
      "An ID may be a unique prefix of the agent id (at least 4 characters)."
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
      description = {
        "Accept pending keys.",
        "Give one agent by its id (or a unique prefix of it), a glob ('web*'; * and ? as in"
            + " the shell, quoted) to accept every pending key whose agent id or hostname"
            + " matches, or --all. A glob lists the keys it matches and asks before accepting"
            + " them."
      })
  static final class Accept implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ServerOptions server;

    @Option(names = "--all", description = "Accept every pending key.")
    boolean all;

    @Option(
        names = {"-y", "--yes"},
        description = "Accept the keys a glob matches without asking.")
    boolean yes;

    @Parameters(
        index = "0",
        arity = "0..1",
        paramLabel = "ID|GLOB",
        description = "The agent id, a unique prefix of it, or a glob of ids or hostnames.")
    String id;

    /** Where the answer to the question is read from. */
    InputStream stdin = System.in;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      if (all == (id != null)) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), "give an agent ID, a GLOB or --all (not two of them)");
      }
      MasterClient client = server.client();
      if (all) {
        out.println("accepted " + client.acceptAllKeys() + " key(s)");
      } else if (KeyGlob.isGlob(id)) {
        return acceptGlob(client, out);
      } else {
        AgentKey k = client.acceptKey(id);
        out.println("key of agent " + k.agentId() + " " + k.state());
      }
      out.flush();
      return ExitCodes.OK;
    }

    private int acceptGlob(MasterClient client, PrintWriter out) {
      List<KeyGlob.Match> matches =
          new KeyGlob(id).select(client.keys(), client.agents(), "pending");
      if (matches.isEmpty()) {
        throw new CliException("no pending key matches '" + id + "'");
      }
      out.println("pending keys matching '" + id + "':");
      matches.forEach(m -> out.println("  " + m.shown()));
      if (!yes) {
        out.print("Accept these " + matches.size() + " key(s)? [y/N] ");
        out.flush();
        if (!confirmed()) {
          throw new CliException("nothing accepted (answer y, or pass --yes)");
        }
      }
      int accepted = 0;
      for (KeyGlob.Match m : matches) {
        client.acceptKey(m.agentId());
        accepted++;
      }
      out.println("accepted " + accepted + " key(s)");
      out.flush();
      return ExitCodes.OK;
    }

    private boolean confirmed() {
      try {
        String line =
            new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)).readLine();
        return line != null && line.strip().toLowerCase(java.util.Locale.ROOT).startsWith("y");
      } catch (IOException e) {
        return false;
      }
    }
  }

  @Command(
      name = "reject",
      mixinStandardHelpOptions = true,
      description = "Reject a key: the agent is refused from now on.")
  static final class Reject implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ServerOptions server;

    @Parameters(
        index = "0",
        paramLabel = "ID",
        description = "The agent id, or a unique prefix of it (at least 4 characters).")
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

    @Parameters(
        index = "0",
        paramLabel = "ID",
        description = "The agent id, or a unique prefix of it (at least 4 characters).")
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
