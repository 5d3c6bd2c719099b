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
    description = "List the agents the master knows, online or not.")
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

  /** The table, sorted by hostname. */
  static String table(List<Agent> agents, Instant now) {
    List<Agent> sorted = new ArrayList<>(agents);
    sorted.sort(
        Comparator.comparing((Agent a) -> a.hostname() == null ? "" : a.hostname())
            .thenComparing(a -> a.id() == null ? "" : a.id()));
    TableFormatter t = new TableFormatter("ID", "HOSTNAME", "IP", "LABELS", "STATE", "LAST SEEN");
    for (Agent a : sorted) {
      t.row(
          a.id(),
          a.hostname(),
          Formats.list(a.ip()),
          Formats.labels(a.labels()),
          a.key() == null || "accepted".equals(a.key())
              ? a.state()
              : a.state() + " (key " + a.key() + ")",
          Formats.age(a.lastSeen(), now));
    }
    return t.render();
  }
}
