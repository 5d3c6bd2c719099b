package io.mschedule.master.cluster;

import io.javalin.config.RoutesConfig;
import io.mschedule.master.api.ApiRoutes;
import io.mschedule.master.api.Json;
import io.mschedule.master.store.LeaseStore;
import io.mschedule.master.store.MasterRecord;
import io.mschedule.master.store.MasterStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** {@code GET /api/v1/cluster}: every master on this database, live or dead (any API token). */
public final class ClusterRoutes implements ApiRoutes {
  public static final String PATH = "/api/v1/cluster";

  private final MasterStore masters;
  private final LeaseStore leases;
  private final String self;
  private final Duration deadAfter;

  /**
   * @param tasksOwned unfinished tasks each master holds a lease on (a lone master on H2, which
   *     holds no leases: the unfinished tasks it drives, as of its last heartbeat)
   * @param self whether it is the master that answered
   */
  public record MasterJson(
      String id,
      String apiUrl,
      String agentEndpoint,
      String state,
      int agentsConnected,
      int tasksOwned,
      String lastHeartbeat,
      String startedAt,
      boolean self) {}

  public record ClusterJson(String self, List<MasterJson> masters) {}

  /**
   * @param leases the task leases of masters sharing the database; null for a lone master
   */
  public ClusterRoutes(MasterStore masters, LeaseStore leases, String self, Duration deadAfter) {
    this.masters = masters;
    this.leases = leases;
    this.self = self;
    this.deadAfter = deadAfter;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.get(
        PATH,
        ctx ->
            ctx.status(200)
                .contentType("application/json")
                .result(Json.write(view(masters.all(), leases == null ? null : leases.owned()))));
  }

  ClusterJson view(List<MasterRecord> all, Map<String, Integer> owned) {
    return new ClusterJson(
        self,
        all.stream()
            .map(
                m ->
                    new MasterJson(
                        m.id(),
                        m.apiUrl(),
                        m.agentEndpoint(),
                        state(m),
                        state(m).equals("live") ? m.agentsConnected() : 0,
                        owned == null ? m.tasksOwned() : owned.getOrDefault(m.id(), 0),
                        m.lastHeartbeat().toString(),
                        m.startedAt().toString(),
                        m.id().equals(self)))
            .toList());
  }

  /**
   * {@code live} while its heartbeat is within {@code master-dead-after}, by the database's clock.
   */
  String state(MasterRecord m) {
    return m.lastHeartbeat().plus(deadAfter).isAfter(m.now()) ? "live" : "dead";
  }
}
