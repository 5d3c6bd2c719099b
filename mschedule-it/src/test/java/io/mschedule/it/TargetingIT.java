package io.mschedule.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Target patterns, their preview (API and {@code mschedule run --list-hosts}), agent names on
 * cloned hosts, what a pending agent is told, and agent removal: a real master and real agents.
 */
class TargetingIT {
  @TempDir Path dir;

  private static ProcessRun.Result cli(Cluster c, Path home, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--server", "http://127.0.0.1:" + c.httpPort, "--token", c.adminToken()));
    return ProcessRun.mschedule(
        all, Map.of("HOME", home.toString(), "XDG_CONFIG_HOME", home.resolve("config").toString()));
  }

  @Test
  void cloned_hosts_are_told_apart_by_name_and_targeted_with_patterns() throws Exception {
    Path home = dir.resolve("home");
    try (Cluster c = Cluster.create(dir, 1)) {
      c.startMaster();
      // both agents run on this machine: one hostname, as on cloned hosts
      c.startAgent(
          1, c.masterKey(), c.joinToken(), List.of("--name", "clone-a", "--label", "dc=east"));
      c.startAgent(
          2, c.masterKey(), c.joinToken(), List.of("--name", "clone-b", "--label", "dc=west"));
      c.awaitOnline(2, Duration.ofSeconds(60));
      String a = c.agentId(1);
      String b = c.agentId(2);

      JsonNode agentA = c.api.ok("/api/v1/agents/" + a);
      JsonNode agentB = c.api.ok("/api/v1/agents/" + b);
      assertThat(agentA.get("name").asText()).isEqualTo("clone-a");
      assertThat(agentB.get("name").asText()).isEqualTo("clone-b");
      assertThat(agentA.get("hostname").asText()).isEqualTo(agentB.get("hostname").asText());

      // the API's preview: the master's grammar
      JsonNode preview =
          c.api
              .post("/api/v1/targets/preview", Map.of("targets", List.of("clone-*:&dc=east")))
              .body();
      assertThat(preview.get("agents")).hasSize(1);
      assertThat(preview.get("agents").get(0).get("id").asText()).isEqualTo(a);
      assertThat(preview.get("agents").get(0).get("name").asText()).isEqualTo("clone-a");
      assertThat(preview.get("agents").get(0).get("state").asText()).isEqualTo("online");
      assertThat(preview.get("pending").asInt()).isZero();

      // the CLI prints the hosts and runs nothing
      ProcessRun.Result listed = cli(c, home, "run", "-t", "clone-*:!dc=east", "--list-hosts");
      assertThat(listed.exit()).as(listed.output()).isZero();
      assertThat(listed.output())
          .contains("hosts (1):")
          .contains("clone-b")
          .doesNotContain("clone-a");
      ProcessRun.Result none = cli(c, home, "run", "-t", "web*", "--list-hosts");
      assertThat(none.exit()).isEqualTo(1);
      assertThat(none.output()).contains("mschedule: targets: 'web*' matches no online agent");
      assertThat(c.api.ok("/api/v1/tasks")).isEmpty();

      // a run is shown under the agent's name
      String task =
          c.submit(Map.of("script", "echo hi", "targets", List.of("n=*:!clone-a"), "parallel", 0));
      JsonNode t = c.awaitEnd(task, Duration.ofSeconds(30));
      assertThat(t.get("runs")).hasSize(1);
      assertThat(t.get("runs").get(0).get("name").asText()).isEqualTo("clone-b");
      ProcessRun.Result shown = cli(c, home, "task", task);
      assertThat(shown.output()).contains("clone-b");

      // a new agent without a join token: pending, told so, and named in the target error
      c.startAgent(3, c.masterKey(), null, List.of("--name", "late-c"));
      String late = c.agentId(3);
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(() -> c.stateOf(late).equals("pending"));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  c.agent(3)
                      .log()
                      .contains(
                          "waiting for an operator to accept this agent's key (mschedule keys"
                              + " accept "
                              + late
                              + ")"));
      ProcessRun.Result agents = cli(c, home, "agents");
      assertThat(agents.output().lines().filter(l -> l.startsWith(late)).findFirst().orElseThrow())
          .contains("late-c")
          .contains("pending")
          .doesNotContain("online");
      JsonNode pendingOnly =
          c.api.post("/api/v1/targets/preview", Map.of("targets", List.of("late-*"))).body();
      assertThat(pendingOnly.get("agents")).isEmpty();
      assertThat(pendingOnly.get("pending").asInt()).isEqualTo(1);
      Api.Response refused =
          c.api.post("/api/v1/tasks", Map.of("script", "true", "targets", List.of("late-*")));
      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.body().get("error").asText())
          .isEqualTo(
              "targets: 'late-*' matches only agents whose key is pending: 1; accept them with"
                  + " mschedule keys accept ID");

      // removed (once stopped): gone from the fleet
      c.agent(3).close();
      ProcessRun.Result removed = cli(c, home, "agents", "remove", late);
      assertThat(removed.exit()).as(removed.output()).isZero();
      assertThat(c.api.get("/api/v1/agents/" + late).status()).isEqualTo(404);
      assertThat(c.api.ok("/api/v1/agents")).hasSize(2);

      // load balancers need no token
      HttpResponse<String> health =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + c.httpPort + "/healthz"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
    }
  }
}
