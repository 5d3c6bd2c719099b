package io.mschedule.cli;

import io.mschedule.cli.client.RelayView;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mschedule relays}: the datacenters' relays the master knows. */
@Command(
    name = "relays",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "List the relays the master knows: datacenter, address, state, agents behind each.",
      "  relays | relays --json"
    })
public final class RelaysCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ServerOptions server;

  @Option(names = "--json", description = "Print the relays as a JSON array.")
  boolean json;

  @Override
  public Integer call() {
    List<RelayView> relays = server.client().relays();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      JsonOutput.print(out, relays);
    } else if (relays.isEmpty()) {
      spec.commandLine().getErr().println("no relays");
    } else {
      out.print(table(relays, Instant.now()));
    }
    out.flush();
    return ExitCodes.OK;
  }

  static String table(List<RelayView> relays, Instant now) {
    TableFormatter t =
        new TableFormatter(
            "ID", "DATACENTER", "ADDRESS", "STATE", "AGENTS", "SPOOL BYTES", "LAST SEEN");
    for (RelayView r : relays) {
      t.row(
          r.id(),
          r.datacenter() == null ? "-" : r.datacenter(),
          r.address() == null ? "-" : r.address(),
          r.state(),
          Integer.toString(r.agents()),
          Long.toString(r.spoolBytes()),
          Formats.age(r.lastSeen(), now));
    }
    return t.render();
  }
}
