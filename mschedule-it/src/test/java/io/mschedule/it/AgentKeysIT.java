package io.mschedule.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mschedule.protocol.zerorpc.CurveKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only our master commands our agents; only accepted agents get work. */
class AgentKeysIT {
  @TempDir Path dir;

  @Test
  void an_agent_with_the_wrong_master_key_never_connects() {
    try (Cluster c = Cluster.start(dir, 1, 1)) {
      String forged = CurveKeys.encodeZ85(CurveKeys.generate().publicKey());
      // a short call timeout: the agent gives up on the silent master after 3 s instead of 10
      c.agentEnv("MSCHEDULE_CALL_TIMEOUT", "3");
      JavaProcess liar = c.startAgent(2, forged, c.joinToken());
      String id = c.agentId(2);
      await()
          .during(Duration.ofSeconds(6))
          .atMost(Duration.ofSeconds(8))
          .until(() -> c.api.get("/api/v1/agents/" + id).status() == 404);
      assertThat(liar.alive()).isTrue();
      assertThat(c.api.ok("/api/v1/agents")).hasSize(1);
      // the agent says what to check, once, without a stack trace per attempt
      await()
          .atMost(Duration.ofSeconds(40))
          .until(() -> liar.log().contains("no answer from the master: check --master-key"));
      assertThat(liar.log())
          .contains("(the master's key is printed by mschedule master key)")
          .doesNotContain("CallTimeoutException");
    }
  }

  @Test
  void a_new_agent_waits_pending_until_accepted_and_a_rejected_one_is_refused() {
    try (Cluster c = Cluster.start(dir, 1, 1)) {
      c.startAgent(2, c.masterKey(), null); // no join token
      String id = c.agentId(2);
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(() -> c.api.ok("/api/v1/agents/" + id).get("state").asText().equals("pending"));
      assertThat(c.api.ok("/api/v1/agents/" + id).get("key").asText()).isEqualTo("pending");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  c.agent(2)
                      .log()
                      .contains(
                          "waiting for an operator to accept this agent's key (mschedule keys"
                              + " accept "
                              + id
                              + ")"));
      JsonNode key = find(c.api.ok("/api/v1/keys"), id);
      assertThat(key.get("state").asText()).isEqualTo("pending");
      assertThat(key.get("public_key").asText()).hasSize(40);

      // no task for a pending agent: it cannot be targeted, and "all" leaves it out
      assertThat(
              c.api
                  .post("/api/v1/tasks", Map.of("script", "true", "targets", List.of(id)))
                  .status())
          .isEqualTo(400);
      String all = c.submit(Map.of("script", "echo hi", "targets", List.of("all"), "parallel", 0));
      JsonNode t = c.awaitEnd(all, Duration.ofSeconds(30));
      assertThat(t.get("runs")).hasSize(1);
      assertThat(t.get("runs").get(0).get("agent_id").asText()).isEqualTo(c.agentId(1));
      // it waits on one connection, heartbeating, instead of reconnecting to be refused again
      assertThat(c.agent(2).log()).doesNotContain("order stream ended");

      // accepted (by the first 8 characters of its id, as the console shows it): it runs tasks
      var accepted = c.api.post("/api/v1/keys/" + id.substring(0, 8) + "/accept", "{}");
      assertThat(accepted.status()).isEqualTo(200);
      assertThat(accepted.body().get("agent_id").asText()).isEqualTo(id);
      assertThat(c.api.ok("/api/v1/agents/" + id.substring(0, 6)).get("id").asText()).isEqualTo(id);
      String mine = c.submit(Map.of("script", "echo accepted", "targets", List.of(id)));
      assertThat(c.awaitEnd(mine, Duration.ofSeconds(30)).get("state").asText())
          .isEqualTo("SUCCEEDED");

      // rejected: refused at once, then offline, and never targeted again
      assertThat(c.api.post("/api/v1/keys/" + id + "/reject", "{}").status()).isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> c.agent(2).log().contains("the master refused this agent's key"));
      await()
          .atMost(Duration.ofSeconds(15))
          .ignoreExceptions()
          .until(() -> c.api.ok("/api/v1/agents/" + id).get("state").asText().equals("offline"));
      assertThat(c.api.ok("/api/v1/agents/" + id).get("key").asText()).isEqualTo("rejected");
      assertThat(
              c.api
                  .post("/api/v1/tasks", Map.of("script", "true", "targets", List.of(id)))
                  .status())
          .isEqualTo(400);
    }
  }

  static JsonNode find(JsonNode keys, String agentId) {
    for (JsonNode k : keys) {
      if (k.get("agent_id").asText().equals(agentId)) {
        return k;
      }
    }
    throw new AssertionError("no key for " + agentId + " in " + keys);
  }
}
