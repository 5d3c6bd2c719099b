package io.mschedule.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Relays, with real processes on loopback: a master, relay 1 (datacenter east, reaching the master
 * through a TCP proxy) and relay 2 (datacenter west), two agents behind each; each agent lists its
 * own relay first and the other second.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RelayIT {
  @TempDir static Path dir;
  static Cluster c;
  static TcpProxy proxy;
  static final Map<Integer, JavaProcess> relays = new HashMap<>();
  static final Map<Integer, Integer> relayPorts = new HashMap<>();
  static final Map<Integer, String> relayKeys = new HashMap<>();
  static final List<String> east = new ArrayList<>();
  static final List<String> west = new ArrayList<>();

  /** Relay 2's compatibility listener, for plain zerorpc clients. */
  static final String PLAIN_WEST = "tcp://127.0.0.1:" + Ports.free();

  @BeforeAll
  static void up() {
    c = Cluster.create(dir, 1).up(0);
    proxy = TcpProxy.to(c.agentPort);
    startRelay(1, proxy.endpoint(), "east");
    startRelay(2, c.endpoint(), "west", List.of("--plain-agent-bind", PLAIN_WEST));
    // agents are started once both relays reach the master, so each stays with its own relay
    await("both relays linked")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              int online = 0;
              for (JsonNode r : c.api.ok("/api/v1/relays")) {
                online += "online".equals(r.get("state").asText()) ? 1 : 0;
              }
              return online == 2;
            });
    String keys = relayKeys.get(1) + "," + relayKeys.get(2);
    String keysReversed = relayKeys.get(2) + "," + relayKeys.get(1);
    for (int i = 1; i <= 4; i++) {
      boolean first = i <= 2;
      c.startAgentAt(
          i,
          first ? relay(1) + "," + relay(2) : relay(2) + "," + relay(1),
          first ? keys : keysReversed,
          List.of());
      (first ? east : west).add(c.agentId(i));
    }
    c.awaitOnline(4, Duration.ofSeconds(60));
  }

  static String relay(int i) {
    return "tcp://127.0.0.1:" + relayPorts.get(i);
  }

  static void startRelay(int i, String master, String datacenter) {
    startRelay(i, master, datacenter, List.of());
  }

  static void startRelay(int i, String master, String datacenter, List<String> more) {
    Path data = dir.resolve("relay-" + i);
    relayKeys.put(
        i,
        Cluster.lastLine(JavaProcess.run(List.of("relay", "key", "--data-dir", data.toString()))));
    relayPorts.putIfAbsent(i, Ports.free());
    relays.put(
        i,
        JavaProcess.start(
            dir.resolve("logs/relay-" + i + ".out"),
            concat(
                List.of(
                    "relay",
                    "--data-dir",
                    data.toString(),
                    "--master",
                    master,
                    "--master-key",
                    c.masterKey(),
                    "--agent-bind",
                    relay(i),
                    "--datacenter",
                    datacenter,
                    "--join-token",
                    c.joinToken()),
                more)));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  @AfterAll
  static void down() {
    JavaProcess.closeAll(relays.values());
    if (proxy != null) {
      proxy.close();
    }
    if (c != null) {
      c.close();
    }
  }

  static Map<String, Object> task(String script, Object... kv) {
    Map<String, Object> m = new HashMap<>();
    m.put("script", script);
    m.put("targets", List.of("all"));
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  @Order(1)
  void a_fan_out_through_both_relays_gives_every_agents_output_and_exit_code() {
    String id = c.submit(task("hostname; echo id=$MSCHEDULE_AGENT_ID; exit 3", "parallel", 0));
    JsonNode t = c.awaitEnd(id, Duration.ofSeconds(30));
    assertThat(t.get("runs")).hasSize(4);
    for (JsonNode r : t.get("runs")) {
      assertThat(r.get("state").asText()).isEqualTo("FAILED");
      assertThat(r.get("code").asInt()).isEqualTo(3);
      assertThat(r.get("output").asText())
          .contains(r.get("hostname").asText())
          .contains("id=" + r.get("agent_id").asText());
    }
  }

  @Test
  @Order(2)
  void relays_and_their_datacenters_are_listed_and_a_datacenter_is_a_target() {
    await("both relays listed online with two agents each")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              JsonNode rs = c.api.ok("/api/v1/relays");
              if (rs.size() != 2) {
                return false;
              }
              for (JsonNode r : rs) {
                if (!"online".equals(r.get("state").asText()) || r.get("agents").asInt() != 2) {
                  return false;
                }
              }
              return true;
            });
    Map<String, String> relayOfDc = new HashMap<>();
    for (JsonNode r : c.api.ok("/api/v1/relays")) {
      relayOfDc.put(r.get("datacenter").asText(), r.get("id").asText());
      assertThat(r.get("address").asText()).startsWith("tcp://127.0.0.1:");
      assertThat(r.get("spool_bytes").isIntegralNumber()).isTrue();
      assertThat(r.get("last_seen").isTextual()).isTrue();
    }
    assertThat(relayOfDc).containsOnlyKeys("east", "west");
    for (JsonNode a : c.api.ok("/api/v1/agents")) {
      String dc = east.contains(a.get("id").asText()) ? "east" : "west";
      assertThat(a.get("datacenter").asText()).isEqualTo(dc);
      assertThat(a.get("relay").asText()).isEqualTo(relayOfDc.get(dc));
      assertThat(a.get("labels").get("datacenter").asText()).isEqualTo(dc);
    }

    String id = c.submit(task("echo east", "targets", List.of("datacenter=east")));
    JsonNode t = c.awaitEnd(id, Duration.ofSeconds(30));
    List<String> ran = new ArrayList<>();
    t.get("runs").forEach(r -> ran.add(r.get("agent_id").asText()));
    assertThat(ran).containsExactlyInAnyOrderElementsOf(east);

    // the command line through the relays, as direct: each host's output and a zero exit
    ProcessRun.Result run =
        ProcessRun.mschedule(
            List.of(
                "run",
                "-t",
                "datacenter=east",
                "-c",
                "hostname; echo via-$MSCHEDULE_AGENT_ID",
                "--server",
                "http://127.0.0.1:" + c.httpPort,
                "--token",
                c.adminToken()),
            Map.of("HOME", dir.resolve("home").toString()));
    assertThat(run.exit()).as(run.output()).isZero();
    for (String a : east) {
      assertThat(run.output()).as(run.output()).contains("via-" + a);
    }
    assertThat(run.output()).contains("| SUCCESS | rc=0");

    ProcessRun.Result listed =
        ProcessRun.mschedule(
            List.of(
                "relays", "--server", "http://127.0.0.1:" + c.httpPort, "--token", c.adminToken()),
            Map.of("HOME", dir.resolve("home").toString()));
    assertThat(listed.exit()).as(listed.output()).isZero();
    assertThat(listed.output()).contains("DATACENTER").contains("east").contains("west");
  }

  @Test
  @Order(3)
  void killing_a_task_behind_relays_ends_every_process_within_two_seconds() {
    String id = c.submit(task("sleep 3112 & sleep 3113; wait", "parallel", 0));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                Procs.matching("sleep 3112").size() >= 4
                    && Procs.matching("sleep 3113").size() >= 4);
    assertThat(c.api.post("/api/v1/tasks/" + id + "/kill", "{}").status()).isEqualTo(202);
    Instant killed = Instant.now();
    await()
        .atMost(Duration.ofSeconds(2))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> Procs.matching("sleep 3112").isEmpty() && Procs.matching("sleep 3113").isEmpty());
    assertThat(Duration.between(killed, Instant.now())).isLessThanOrEqualTo(Duration.ofSeconds(2));
    JsonNode t = c.awaitEnd(id, Duration.ofSeconds(20));
    assertThat(t.get("state").asText()).isEqualTo("KILLED");
  }

  @Test
  @Order(4)
  void a_fan_out_crosses_the_relays_link_once() {
    // 48 KiB of script (64 KiB as Base64 in the order), run by both agents behind relay 1
    String filler = "#" + "x".repeat(1023) + "\n";
    String script = filler.repeat(48) + "echo copied";
    long before = proxy.bytesFromTarget();
    String id = c.submit(task(script, "targets", List.of("datacenter=east"), "parallel", 0));
    JsonNode t = c.awaitEnd(id, Duration.ofSeconds(30));
    assertThat(t.get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(t.get("runs")).hasSize(2);
    long crossed = proxy.bytesFromTarget() - before;
    long oneCopy = 4L * ((script.length() + 2) / 3);
    assertThat(crossed).as("bytes from the master to relay 1").isLessThan(oneCopy * 3 / 2);
  }

  @Test
  @Order(5)
  void a_60_second_wan_cut_loses_no_run_and_every_result_arrives_once_with_all_its_output()
      throws Exception {
    String relay1 = relayIdOf("east");
    String id =
        c.submit(
            task(
                "for i in $(seq 1 20); do echo line-$i; sleep 1.01; done; echo end",
                "targets",
                east,
                "parallel",
                0));
    await().atMost(Duration.ofSeconds(20)).until(() -> Procs.matching("sleep 1.01").size() >= 2);
    proxy.stall();
    try {
      cutAndRestore(id, relay1);
    } finally {
      proxy.resume();
    }
  }

  private void cutAndRestore(String id, String relay1) {
    Instant cut = Instant.now();
    await("the east agents are shown unreachable")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> east.stream().allMatch(a -> "unreachable".equals(c.stateOf(a))));
    JsonNode relays = c.api.ok("/api/v1/relays");
    for (JsonNode r : relays) {
      if (r.get("id").asText().equals(relay1)) {
        assertThat(r.get("state").asText()).isEqualTo("offline");
      }
    }
    // for the rest of the cut, no run is given up
    await("the cut lasts 60 s")
        .during(Duration.ofSeconds(60).minus(Duration.between(cut, Instant.now())))
        .atMost(Duration.ofSeconds(70))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> noRunFinal(id));
    proxy.resume();

    JsonNode t = c.awaitEnd(id, Duration.ofSeconds(60));
    assertThat(t.get("state").asText()).as(t.toString()).isEqualTo("SUCCEEDED");
    assertThat(t.get("runs")).hasSize(2);
    StringBuilder expected = new StringBuilder();
    for (int i = 1; i <= 20; i++) {
      expected.append("line-").append(i).append('\n');
    }
    expected.append("end\n");
    for (JsonNode r : t.get("runs")) {
      assertThat(r.get("state").asText()).isEqualTo("SUCCEEDED");
      assertThat(r.path("attempt").asInt(1)).isEqualTo(1);
      assertThat(r.get("output").asText()).isEqualTo(expected.toString());
    }
    // the agents stayed behind relay 1 through the cut
    await("east agents online again")
        .atMost(Duration.ofSeconds(20))
        .until(() -> east.stream().allMatch(a -> "online".equals(c.stateOf(a))));
    for (String a : east) {
      assertThat(c.api.ok("/api/v1/agents/" + a).get("relay").asText()).isEqualTo(relay1);
    }
    String after = c.submit(task("echo after", "targets", east));
    assertThat(c.awaitEnd(after, Duration.ofSeconds(30)).get("state").asText())
        .isEqualTo("SUCCEEDED");
  }

  private static boolean noRunFinal(String taskId) {
    for (JsonNode r : c.api.ok("/api/v1/tasks/" + taskId).get("runs")) {
      if (r.get("finished_at").isTextual()) {
        return false;
      }
    }
    return true;
  }

  private static String relayIdOf(String datacenter) {
    for (JsonNode r : c.api.ok("/api/v1/relays")) {
      if (datacenter.equals(r.path("datacenter").asText())) {
        return r.get("id").asText();
      }
    }
    throw new AssertionError("no relay for " + datacenter);
  }

  @Test
  @Order(9)
  void after_kill_9_of_a_relay_its_agents_move_to_the_other_relay_and_the_task_finishes() {
    await("east agents online")
        .atMost(Duration.ofSeconds(30))
        .until(() -> east.stream().allMatch(a -> "online".equals(c.stateOf(a))));
    String id =
        c.submit(task("sleep 4; echo done-$MSCHEDULE_AGENT_ID", "targets", east, "parallel", 0));
    await().atMost(Duration.ofSeconds(20)).until(() -> Procs.matching("sleep 4").size() >= 2);
    relays.get(1).kill9();
    Instant killed = Instant.now();
    JsonNode t = c.awaitEnd(id, Duration.ofSeconds(60));
    assertThat(t.get("state").asText()).isEqualTo("SUCCEEDED");
    for (JsonNode r : t.get("runs")) {
      assertThat(r.get("output").asText()).contains("done-" + r.get("agent_id").asText());
    }
    await("east agents online again, through relay 2")
        .atMost(Duration.ofSeconds(15).minus(Duration.between(killed, Instant.now())))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> east.stream().allMatch(a -> "online".equals(c.stateOf(a))));
    String again = c.submit(task("echo moved", "targets", east));
    assertThat(c.awaitEnd(again, Duration.ofSeconds(30)).get("state").asText())
        .isEqualTo("SUCCEEDED");
  }

  @Test
  @Order(10)
  void a_plain_zerorpc_client_behind_a_relay_joins_with_a_token_and_gets_its_task()
      throws Exception {
    ExternalTools.require(
        Files.isDirectory(NodeInteropIT.NODE_DIR.resolve("node_modules/zerorpc"))
            && NodeInteropIT.onPath("node"),
        "node with interop/node/node_modules (npm ci in interop/node)");
    String id = "0123456789abcdef0123456789abcdef";
    ProcessBuilder pb =
        new ProcessBuilder("node", "agent-client.js", PLAIN_WEST, id, "--expect-task")
            .directory(NodeInteropIT.NODE_DIR.toFile())
            .redirectError(dir.resolve("logs/node-behind-relay.err").toFile());
    pb.environment().put("MSCHEDULE_JOIN_TOKEN", c.newJoinToken());
    Process node = pb.start();
    Map<String, JsonNode> steps = new java.util.concurrent.ConcurrentHashMap<>();
    Thread reader = NodeInteropIT.readSteps(node, steps);
    await().atMost(Duration.ofSeconds(20)).until(() -> steps.containsKey("subscribe"));
    String taskId = c.submit(Map.of("script", "echo via-relay", "targets", List.of(id)));
    assertThat(node.waitFor(40, TimeUnit.SECONDS)).isTrue();
    reader.join(5_000);
    assertThat(steps.get("register").get("ok").asBoolean()).isTrue();
    JsonNode item = steps.get("tasks").get("items").get(0);
    assertThat(item.get("type").asText()).isEqualTo("task");
    assertThat(item.get("payload").get("id").asText()).isEqualTo(taskId);
    assertThat(node.exitValue()).isZero();
    JsonNode agent = c.api.ok("/api/v1/agents/" + id);
    assertThat(agent.get("relay").asText()).isEqualTo(relayIdOf("west"));
    assertThat(agent.get("datacenter").asText()).isEqualTo("west");
    assertThat(agent.get("key").asText()).isEqualTo("accepted");
  }
}
