package io.mschedule.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * zerorpc-node, a client we did not write, talks to the master's plain compatibility listener: it
 * is refused without a join token; with one it registers, heartbeats and receives a task.
 */
class NodeInteropIT {
  static final Path NODE_DIR =
      Path.of(System.getProperty("mschedule.root", "..")).resolve("interop/node");

  @TempDir Path dir;

  @Test
  void zerorpc_node_client_works_against_the_master() throws Exception {
    ExternalTools.require(
        Files.isDirectory(NODE_DIR.resolve("node_modules/zerorpc")) && onPath("node"),
        "node with interop/node/node_modules (npm ci in interop/node)");
    int plainPort = Ports.free();
    String plain = "tcp://127.0.0.1:" + plainPort;
    try (Cluster c = Cluster.create(dir, 5).masterArgs("--plain-agent-bind", plain).up(0)) {
      // without a join token the plain listener refuses the agent, saying why
      Process refused =
          new ProcessBuilder("node", "agent-client.js", plain, "ffffffffffffffffffffffffffffffff")
              .directory(NODE_DIR.toFile())
              .redirectError(dir.resolve("node-refused.err").toFile())
              .start();
      String refusedOut =
          new String(refused.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(refused.waitFor(40, TimeUnit.SECONDS)).isTrue();
      assertThat(refused.exitValue()).isEqualTo(1);
      JsonNode reg = Api.JSON.readTree(refusedOut.lines().findFirst().orElseThrow());
      assertThat(reg.get("step").asText()).isEqualTo("register");
      assertThat(reg.get("ok").asBoolean()).isFalse();
      assertThat(reg.get("error").get("name").asText()).isEqualTo("Refused");
      assertThat(reg.get("error").get("message").asText()).contains("join token");
      assertThat(c.api.get("/api/v1/agents/ffffffffffffffffffffffffffffffff").status())
          .isEqualTo(404);

      String id = "0123456789abcdef0123456789abcdef";
      ProcessBuilder pb =
          new ProcessBuilder("node", "agent-client.js", plain, id, "--expect-task")
              .directory(NODE_DIR.toFile())
              .redirectError(dir.resolve("node.err").toFile());
      pb.environment().put("MSCHEDULE_JOIN_TOKEN", c.newJoinToken());
      Process node = pb.start();
      Map<String, JsonNode> steps = new ConcurrentHashMap<>();
      Thread reader = readSteps(node, steps);
      await().atMost(Duration.ofSeconds(20)).until(() -> steps.containsKey("subscribe"));
      String script = "echo from-node-test";
      String taskId = c.submit(Map.of("script", script, "targets", List.of(id)));

      assertThat(node.waitFor(40, TimeUnit.SECONDS)).isTrue();
      reader.join(5_000);
      assertThat(steps.get("register").get("ok").asBoolean()).isTrue();
      assertThat(steps.get("register").get("reply").get("status").asText()).isEqualTo("ok");
      assertThat(steps.get("heartbeat").get("ok").asBoolean()).isTrue();
      JsonNode first = steps.get("subscribe").get("first_item");
      assertThat(first.get("type").asText()).isEqualTo("subscribed");
      assertThat(first.get("payload").get("id").asText()).isEqualTo(id);
      JsonNode task = steps.get("tasks").get("items").get(0);
      assertThat(task.get("type").asText()).isEqualTo("task");
      assertThat(task.get("payload").get("id").asText()).isEqualTo(taskId);
      assertThat(
              new String(
                  Base64.getDecoder().decode(task.get("payload").get("script").asText()),
                  StandardCharsets.UTF_8))
          .isEqualTo(script);
      assertThat(steps.get("unknown_method").get("error").get("name").asText())
          .isEqualTo("UnknownMethod");
      assertThat(node.exitValue()).isZero();

      JsonNode agent = c.api.ok("/api/v1/agents/" + id);
      assertThat(agent.get("hostname").asText()).isEqualTo("node-interop");
      assertThat(agent.get("ip").get(0).asText()).isEqualTo("10.9.8.7");
      assertThat(agent.get("labels").get("client").asText()).isEqualTo("zerorpc-node");
      assertThat(agent.get("key").asText()).isEqualTo("accepted");
    }
  }

  /** Reads the client's JSON lines, one per step, into {@code steps} on a thread of its own. */
  static Thread readSteps(Process node, Map<String, JsonNode> steps) {
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  JsonNode j = Api.JSON.readTree(line);
                  steps.put(j.get("step").asText(), j);
                }
              } catch (Exception e) {
                // the caller's assertions report what is missing
              }
            });
    reader.start();
    return reader;
  }

  static boolean onPath(String cmd) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(d, cmd))) {
        return true;
      }
    }
    return false;
  }
}
