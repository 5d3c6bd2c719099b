package io.mschedule.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A master and three agent processes on default heartbeat settings. */
class FleetIT {
  @TempDir Path dir;

  @Test
  void agents_register_go_offline_when_killed_and_survive_restarts() {
    try (Cluster c = Cluster.start(dir, 3, 5)) {
      JsonNode agents = c.api.ok("/api/v1/agents");
      assertThat(agents).hasSize(3);
      List<String> ids = new ArrayList<>();
      for (JsonNode a : agents) {
        ids.add(a.get("id").asText());
        assertThat(a.get("state").asText()).isEqualTo("online");
        assertThat(a.get("hostname").asText()).isNotBlank();
        assertThat(a.get("ip").isArray()).isTrue();
        assertThat(a.get("id").asText()).matches("[0-9a-f]{32}");
        assertThat(a.get("labels").get("n").asText()).isIn("1", "2", "3");
        assertThat(Instant.parse(a.get("last_seen").asText()))
            .isAfter(Instant.now().minusSeconds(30));
      }
      String id1 = c.agentId(1);
      String id2 = c.agentId(2);
      assertThat(ids).contains(id1, id2, c.agentId(3));

      // kill -9 one agent: offline within 20 s
      c.agent(3).kill9();
      Instant killed = Instant.now();
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> c.stateOf(c.agentId(3)).equals("offline"));
      assertThat(Duration.between(killed, Instant.now())).isLessThan(Duration.ofSeconds(20));

      // restart the master: the remaining agents are online again within 15 s, same ids
      c.master().kill9();
      c.startMaster();
      Instant restarted = Instant.now();
      await()
          .atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> c.stateOf(id1).equals("online") && c.stateOf(id2).equals("online"));
      assertThat(c.api.ok("/api/v1/agents")).hasSize(3);
      assertThat(c.stateOf(c.agentId(3))).isEqualTo("offline");
      assertThat(Duration.between(restarted, Instant.now())).isLessThan(Duration.ofSeconds(15));

      // restart an agent: same id from myid
      c.startAgent(3);
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> c.stateOf(c.agentId(3)).equals("online"));
      assertThat(c.api.ok("/api/v1/agents")).hasSize(3);
      assertThat(c.agentId(3))
          .isEqualTo(
              ids.stream().filter(i -> !i.equals(id1) && !i.equals(id2)).findFirst().orElseThrow());
    }
  }
}
