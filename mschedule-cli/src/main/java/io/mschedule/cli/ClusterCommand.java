package io.mschedule.cli;

import io.mschedule.cli.client.ClusterView;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mschedule cluster}: the masters sharing the master's database. */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "List the masters that share this master's database: live or dead, agents connected,"
          + " tasks driven.",
      "  cluster | cluster --json"
    })
public final class ClusterCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ServerOptions server;

  @Option(names = "--json", description = "Print the cluster as JSON.")
  boolean json;

  @Override
  public Integer call() {
    ClusterView cluster = server.client().cluster();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      JsonOutput.print(out, cluster);
    } else {
      out.print(table(cluster, Instant.now()));
    }
    out.flush();
    return ExitCodes.OK;
  }

  /** One line per master; the one that answered is marked with {@code *}. */
  static String table(ClusterView cluster, Instant now) {
    TableFormatter t =
        new TableFormatter(
            "ID", "STATE", "API", "AGENT ENDPOINT", "AGENTS", "TASKS", "LAST HEARTBEAT");
    for (ClusterView.Master m : cluster.masters()) {
      t.row(
          m.self() ? m.id() + " *" : m.id(),
          m.state(),
          m.apiUrl(),
          m.agentEndpoint(),
          Integer.toString(m.agentsConnected()),
          Integer.toString(m.tasksOwned()),
          Formats.age(m.lastHeartbeat(), now));
    }
    return t.render();
  }
}
