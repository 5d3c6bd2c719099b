package io.mschedule.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import io.mschedule.cli.client.Agent;
import io.mschedule.cli.client.Json;
import io.mschedule.cli.client.Task;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine;

/**
 * The training run of the class-data-sharing archive of the client commands (the launcher runs it
 * once with {@code -XX:ArchiveClassesAtExit}, see docs/performance.md): it goes through what a
 * client command loads—the command line and help of every client command, the HTTP client against a
 * closed port, the JSON of agents and tasks—and prints nothing.
 */
public final class CdsTraining {
  private static final String AGENTS =
      """
      [{"id": "a1", "hostname": "h", "ip": ["10.0.0.1"], "labels": {"k": "v"},
        "state": "online", "last_seen": "2026-01-01T00:00:00Z", "running": [],
        "key": "accepted", "name": "h"}]
      """;
  private static final String TASK =
      """
      {"id": "t1", "state": "SUCCEEDED", "created_at": "2026-01-01T00:00:00Z",
       "runs": [{"agent_id": "a1", "hostname": "h", "state": "SUCCEEDED", "code": 0,
                 "output": "ok"}]}
      """;

  private CdsTraining() {}

  public static void main(String[] args) throws IOException {
    PrintWriter none = new PrintWriter(OutputStream.nullOutputStream());
    run(none, "--version");
    for (String command : Main.CLIENT_COMMANDS) {
      run(none, command, "--help");
    }
    run(none, "agents", "--server", "http://127.0.0.1:" + closedPort(), "--token", "t");
    List<Agent> agents = Json.mapper().readValue(AGENTS, new TypeReference<List<Agent>>() {});
    none.print(AgentsCommand.table(agents, Instant.now()));
    none.print(Json.mapper().writeValueAsString(Json.mapper().readValue(TASK, Task.class)));
    none.flush();
  }

  private static void run(PrintWriter none, String... args) {
    CommandLine cl = Main.commandLine(args);
    cl.setOut(none);
    cl.setErr(none);
    cl.execute(args);
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
