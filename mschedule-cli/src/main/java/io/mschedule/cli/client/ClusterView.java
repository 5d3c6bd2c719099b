package io.mschedule.cli.client;

import java.time.Instant;
import java.util.List;

/**
 * The masters sharing one database, as {@code GET /api/v1/cluster} reports them.
 *
 * @param self the id of the master that answered
 */
public record ClusterView(String self, List<ClusterView.Master> masters) {
  public ClusterView {
    masters = masters == null ? List.of() : List.copyOf(masters);
  }

  /**
   * One master.
   *
   * @param state {@code live} or {@code dead} (no heartbeat within {@code master-dead-after})
   * @param tasksOwned unfinished tasks it drives
   */
  public record Master(
      String id,
      String apiUrl,
      String agentEndpoint,
      String state,
      int agentsConnected,
      int tasksOwned,
      Instant lastHeartbeat,
      Instant startedAt,
      boolean self) {}
}
