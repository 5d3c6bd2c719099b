package io.mschedule.cli;

import io.mschedule.cli.client.Agent;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mschedule agents}: the agents the master knows. */
@Command(
    name = "agents",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "List the agents the master knows, online or not.",
      "  agents | agents remove ID"
    },
    subcommands = AgentsCommand.Remove.class)
public final class AgentsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ServerOptions server;

  @Option(names = "--json", description = "Print the agents as a JSON array.")
  boolean json;

  @Override
  public Integer call() {
    List<Agent> agents = server.client().agents();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      JsonOutput.print(out, agents);
    } else if (agents.isEmpty()) {
      spec.commandLine().getErr().println("no agents");
    } else {
      out.print(table(agents, Instant.now()));
    }
    out.flush();
    return ExitCodes.OK;
  }

  /** The table, sorted by name. */
  static String table(List<Agent> agents, Instant now) {
    List<Agent> sorted = new ArrayList<>(agents);
    sorted.sort(
        Comparator.comparing((Agent a) -> a.displayName() == null ? "" : a.displayName())
            .thenComparing(a -> a.id() == null ? "" : a.id()));
    // several masters: show which one holds each agent
    boolean cluster =
        sorted.stream().map(Agent::master).filter(m -> m != null).distinct().count() > 1;
    // relays: show the datacenter and relay of each agent
    boolean relays = sorted.stream().anyMatch(a -> a.relay() != null || a.datacenter() != null);
    List<String> headers =
        new ArrayList<>(List.of("ID", "NAME", "HOSTNAME", "IP", "LABELS", "STATE", "LAST SEEN"));
    if (cluster) {
      headers.add("MASTER");
    }
    if (relays) {
      headers.add("DATACENTER");
      headers.add("RELAY");
    }
    TableFormatter t = new TableFormatter(headers.toArray(String[]::new));
    for (Agent a : sorted) {
      List<String> cells =
          new ArrayList<>(
              List.of(
                  a.id(),
                  a.displayName(),
                  a.hostname(),
                  Formats.list(a.ip()),
                  Formats.labels(a.labels()),
                  state(a),
                  Formats.age(a.lastSeen(), now)));
      if (cluster) {
        cells.add(a.master() == null ? "-" : a.master());
      }
      if (relays) {
        cells.add(a.datacenter() == null ? "-" : a.datacenter());
        cells.add(a.relay() == null ? "-" : a.relay());
      }
      t.row(cells.toArray(String[]::new));
    }
    return t.render();
  }

  /** {@code pending} while the key waits (older masters say online), else the state and key. */
  static String state(Agent a) {
    if ("pending".equals(a.key())) {
      return "pending";
    }
    return a.key() == null || "accepted".equals(a.key())
        ? a.state()
        : a.state() + " (key " + a.key() + ")";
  }

  /** {@code mschedule agents remove ID}. */
  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      description = {
        "Remove an agent from the fleet and forget its key (admin).",
        "An agent that still runs comes back with a pending key: stop it first."
      })
  static final class Remove implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ServerOptions server;

    @picocli.CommandLine.Parameters(index = "0", paramLabel = "ID", description = "The agent id.")
    String id;

    @Override
    public Integer call() {
      server.client().removeAgent(id);
      spec.commandLine().getOut().println("agent " + id + " removed");
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
  }
}
