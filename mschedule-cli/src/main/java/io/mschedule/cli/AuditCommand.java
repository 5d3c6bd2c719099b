package io.mschedule.cli;

import io.mschedule.cli.client.AuditEntry;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mschedule audit}: the master's audit log, newest first (needs an admin token). */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Show the audit log, newest first.",
      "It records task submissions and kills, token changes and refused requests."
          + " Needs an admin token."
    })
public final class AuditCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ServerOptions server;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "50",
      description = "Entries to show, 1-1000 (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--json", description = "Print the entries as a JSON array.")
  boolean json;

  @Override
  public Integer call() {
    if (limit < 1 || limit > 1000) {
      throw new ParameterException(
          spec.commandLine(), "--limit: must be between 1 and 1000, got " + limit);
    }
    List<AuditEntry> entries = server.client().audit(limit);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      JsonOutput.print(out, entries);
      return ExitCodes.OK;
    }
    out.print(table(entries, ZoneId.systemDefault()));
    out.flush();
    return ExitCodes.OK;
  }

  static String table(List<AuditEntry> entries, ZoneId zone) {
    TableFormatter t = new TableFormatter("TIME", "ACTOR", "ACTION", "TARGET", "DETAIL");
    for (AuditEntry e : entries) {
      t.row(
          Formats.time(e.at(), zone),
          e.actor(),
          e.action(),
          e.target() == null ? "-" : e.target(),
          e.detail() == null ? "" : e.detail());
    }
    return t.render();
  }
}
