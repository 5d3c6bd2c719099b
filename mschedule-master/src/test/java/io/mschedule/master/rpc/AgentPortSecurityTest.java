package io.mschedule.master.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mschedule.master.MasterServer;
import io.mschedule.master.config.MasterConfig;
import io.mschedule.protocol.message.Heartbeat;
import io.mschedule.protocol.message.Message;
import io.mschedule.protocol.message.MessageCodec;
import io.mschedule.protocol.message.MessageTypes;
import io.mschedule.protocol.message.OutputChunk;
import io.mschedule.protocol.message.Register;
import io.mschedule.protocol.message.Result;
import io.mschedule.protocol.message.Subscribe;
import io.mschedule.protocol.test.TestClock;
import io.mschedule.protocol.zerorpc.ClientOptions;
import io.mschedule.protocol.zerorpc.CurveKeys;
import io.mschedule.protocol.zerorpc.RemoteErrorException;
import io.mschedule.protocol.zerorpc.StreamListener;
import io.mschedule.protocol.zerorpc.ZeroRpcClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

/** The master's CURVE agent port against clients that break the rules (real sockets, real H2). */
class AgentPortSecurityTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;
  private MasterServer master;
  private final List<ZeroRpcClient> clients = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void close() {
    clients.forEach(ZeroRpcClient::close);
    if (master != null) {
      master.close();
    }
  }

  private void start(Map<String, String> settings) {
    Map<String, String> all = new HashMap<>(settings);
    all.put(MasterConfig.DATA_DIR, dir.toString());
    all.put(MasterConfig.HTTP_BIND, "127.0.0.1:0");
    all.put(MasterConfig.AGENT_BIND, "tcp://127.0.0.1:0");
    master = MasterServer.start(MasterConfig.from(all));
  }

  /** A CURVE client with a key pair of its own. */
  private ZeroRpcClient client(CurveKeys.KeyPair keys) {
    ZeroRpcClient c =
        ZeroRpcClient.connect(
            new ClientOptions("tcp://127.0.0.1:" + master.agentPort())
                .curve(
                    CurveKeys.decodeZ85(master.publicKey()), keys.publicKey(), keys.secretKey()));
    clients.add(c);
    return c;
  }

  private static Value send(ZeroRpcClient c, Message m) throws Exception {
    return c.call(MessageTypes.METHOD_SENDMSG, WAIT, MessageCodec.encode(m))
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  /** The error a call is answered with, as "Name: message". */
  private static String refusal(ZeroRpcClient c, Message m) {
    try {
      send(c, m);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RemoteErrorException r) {
        return r.name() + ": " + r.remoteMessage();
      }
      throw new AssertionError(e);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("accepted: " + m);
  }

  private static String id(int n) {
    return String.format("%032x", n);
  }

  private static Register register(String id, String host, List<String> ip, Map<String, String> l) {
    return new Register(id, host, ip, l, "1.0", MessageTypes.PROTOCOL_VERSION, List.of(), null);
  }

  private static Register register(String id) {
    return register(id, "web-01", List.of("10.0.0.1"), Map.of("role", "web"));
  }

  private int api(String method, String path) throws Exception {
    String token = Files.readString(dir.resolve("admin.token")).strip();
    HttpRequest r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + master.httpPort() + path))
            .header("Authorization", "Bearer " + token)
            .method(method, HttpRequest.BodyPublishers.ofString("{}"))
            .header("Content-Type", "application/json")
            .build();
    return http.send(r, HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  private String apiBody(String path) throws Exception {
    String token = Files.readString(dir.resolve("admin.token")).strip();
    HttpRequest r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + master.httpPort() + path))
            .header("Authorization", "Bearer " + token)
            .build();
    return http.send(r, HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void theRegisterAnswerGivesTheOrderKeyOfTheDataDirectory() throws Exception {
    start(Map.of());
    Value ack = send(client(CurveKeys.generate()), register(id(1)));
    String offered =
        ack.asMapValue().map().get(ValueFactory.newString("order_key")).asStringValue().asString();
    assertThat(offered)
        .isEqualTo(master.orderKey())
        .isEqualTo(Files.readString(dir.resolve("order.pub")).strip());
    assertThat(Files.getPosixFilePermissions(dir.resolve("order.key")))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  }

  /**
   * An agent with an open order stream is asked to heartbeat every 30 s: the stream's zerorpc
   * heartbeats keep it seen in between. Here it never sends {@code heartbeat} after registering,
   * and the master's clock jumps past the offline limit: the next stream heartbeat marks it seen.
   * The client heartbeats at zerorpc's 5 s, as the master does and an agent does: a client that
   * heartbeats faster than the master declares the channel lost after two of its own intervals
   * without hearing the master (the stream would end before the clock moves on a busy machine).
   */
  @Test
  void aSubscribedAgentIsKeptSeenByItsStreamsHeartbeats() throws Exception {
    TestClock clock = new TestClock(Instant.now());
    Map<String, String> all = new HashMap<>();
    all.put(MasterConfig.DATA_DIR, dir.toString());
    all.put(MasterConfig.HTTP_BIND, "127.0.0.1:0");
    all.put(MasterConfig.AGENT_BIND, "tcp://127.0.0.1:0");
    master = MasterServer.start(MasterConfig.from(all), clock);
    CurveKeys.KeyPair keys = CurveKeys.generate();
    ZeroRpcClient c =
        ZeroRpcClient.connect(
            new ClientOptions("tcp://127.0.0.1:" + master.agentPort())
                .curve(
                    CurveKeys.decodeZ85(master.publicKey()), keys.publicKey(), keys.secretKey()));
    clients.add(c);
    String id = id(1);
    Value ack = send(c, register(id));
    assertThat(ack.asMapValue().map().get(ValueFactory.newString("heartbeat"))).hasToString("5");
    assertThat(ack.asMapValue().map().get(ValueFactory.newString("stream_heartbeat")))
        .hasToString("30");
    assertThat(api("POST", "/api/v1/keys/" + id + "/accept")).isEqualTo(200);
    List<Value> items = new CopyOnWriteArrayList<>();
    c.stream(
        MessageTypes.METHOD_SUBSCRIBE,
        new StreamListener() {
          @Override
          public void onItem(Value item) {
            items.add(item);
          }

          @Override
          public void onEnd() {}

          @Override
          public void onError(Throwable error) {}
        },
        WAIT,
        MessageCodec.encode(new Subscribe(id)));
    await().atMost(WAIT).until(() -> !items.isEmpty());

    Instant later = clock.instant().plus(Duration.ofMinutes(1)); // 15 s make it offline
    clock.set(later);

    await()
        .atMost(WAIT)
        .until(
            () -> {
              var a = master.registry().find(id).orElseThrow();
              return a.online() && !a.lastSeen().isBefore(later);
            });
  }

  @Test
  void aPendingKeyMayRegisterAndHeartbeatButNothingElse() throws Exception {
    start(Map.of());
    ZeroRpcClient c = client(CurveKeys.generate());
    String id = id(1);
    send(c, register(id));
    send(c, new Heartbeat(id, null, null, List.of()));
    String waits = "waits for 'mschedule keys accept " + id + "'";
    assertThat(refusal(c, new OutputChunk("t1", id, 0, new byte[] {1})))
        .startsWith("Refused: ")
        .contains(waits);
    assertThat(refusal(c, new Result("t1", id, Result.EXITED, 0, new byte[0], false, null, 0, 0)))
        .startsWith("Refused: ")
        .contains(waits);
    CompletableFuture<String> streamError = new CompletableFuture<>();
    c.stream(
        MessageTypes.METHOD_SUBSCRIBE,
        new StreamListener() {
          @Override
          public void onItem(Value item) {
            streamError.complete("item " + item);
          }

          @Override
          public void onEnd() {
            streamError.complete("end");
          }

          @Override
          public void onError(Throwable error) {
            streamError.complete(
                error instanceof RemoteErrorException r ? r.remoteMessage() : error.toString());
          }
        },
        WAIT,
        MessageCodec.encode(new Subscribe(id)));
    assertThat(streamError.get(WAIT.toSeconds(), TimeUnit.SECONDS)).contains(waits);

    // accepted: output about a run that does not exist (or is not its) is refused
    assertThat(api("POST", "/api/v1/keys/" + id + "/accept")).isEqualTo(200);
    assertThat(refusal(c, new OutputChunk("no-such-task", id, 0, new byte[] {1})))
        .startsWith("BadRequest: output: task 'no-such-task'")
        .contains("has no running run on agent " + id);
    String longId = "t".repeat(5000);
    assertThat(refusal(c, new Result(longId, id, Result.EXITED, 0, new byte[0], false, null, 0, 0)))
        .startsWith("BadRequest: result.payload.id: not a task id");
    assertThat(refusal(c, new OutputChunk(longId, id, 0, new byte[] {1})))
        .startsWith("BadRequest: output.payload.id: not a task id");
  }

  @Test
  void registrationsWithBadFieldsAreRefusedNamingTheField() throws Exception {
    start(Map.of());
    ZeroRpcClient c = client(CurveKeys.generate());
    Map<Register, String> cases = new LinkedHashMap<>();
    cases.put(register("x".repeat(5000)), "register.payload.id: an agent id is 32 lowercase hex");
    cases.put(register("ABCDEF" + id(1).substring(6)), "register.payload.id");
    cases.put(
        register(id(2), "web\n12:00:00 INFO  forged", List.of(), Map.of()),
        "register.payload.hostname: not an RFC 1123 hostname");
    cases.put(
        register(id(3), "a".repeat(64) + ".example", List.of(), Map.of()),
        "register.payload.hostname");
    cases.put(
        register(id(4), ("a".repeat(60) + ".").repeat(5) + "x", List.of(), Map.of()),
        "register.payload.hostname: a hostname has 1 to 253 characters");
    cases.put(
        register(id(5), "web-01", List.of("10.0.0.300"), Map.of()),
        "register.payload.ip[0]: not an IPv4 address");
    cases.put(
        register(id(6), "web-01", List.of(), Map.of("role", "web\u001b[31m")),
        "register.payload.labels.role: control characters are not allowed");
    cases.put(
        register(id(7), "web-01", List.of(), Map.of("k".repeat(64), "v")),
        "register.payload.labels key: at most 63 characters");
    Map<String, String> many = new HashMap<>();
    for (int i = 0; i < 65; i++) {
      many.put("k" + i, "v");
    }
    cases.put(register(id(8), "web-01", List.of(), many), "register.payload.labels: at most 64");
    for (Map.Entry<Register, String> e : cases.entrySet()) {
      assertThat(refusal(c, e.getKey())).as(e.getValue()).startsWith("BadRequest: " + e.getValue());
    }
    assertThat(apiBody("/api/v1/agents")).isEqualTo("[]");
    // the good one passes
    send(c, register(id(9), "web-01.example.com.", List.of("10.1.2.3"), Map.of("dc", "bj1")));
  }

  @Test
  void aKeyKeepsItsAgentId() throws Exception {
    start(Map.of());
    CurveKeys.KeyPair keys = CurveKeys.generate();
    ZeroRpcClient c = client(keys);
    send(c, register(id(1)));
    assertThat(api("POST", "/api/v1/keys/" + id(1) + "/accept")).isEqualTo(200);
    // the agent lost its myid file and made up a new id with the same key
    assertThat(refusal(c, register(id(2))))
        .startsWith("Refused: this key already belongs to agent " + id(1));
    assertThat(apiBody("/api/v1/agents")).contains(id(1)).doesNotContain(id(2));
    send(c, register(id(1))); // with its old id it is welcome
  }

  @Test
  void theOldestPendingKeyIsDroppedOverTheCap() throws Exception {
    start(Map.of(MasterConfig.MAX_PENDING_AGENTS, "2"));
    for (int i = 1; i <= 3; i++) {
      send(client(CurveKeys.generate()), register(id(i)));
    }
    String keys = apiBody("/api/v1/keys");
    assertThat(keys).doesNotContain(id(1)).contains(id(2)).contains(id(3));
    assertThat(apiBody("/api/v1/agents")).doesNotContain(id(1)).contains(id(2));
    assertThat(apiBody("/api/v1/audit")).contains("key.drop");
  }

  @Test
  void newPendingKeysFromOneAddressAreRateLimited() throws Exception {
    start(Map.of());
    int limit = io.mschedule.master.security.keys.PendingLimits.NEW_PER_ADDRESS_PER_MINUTE;
    // the keys up to the limit register at once: each is a CURVE handshake and a store write
    List<CompletableFuture<Value>> registered = new ArrayList<>();
    for (int i = 1; i <= limit; i++) {
      registered.add(
          client(CurveKeys.generate())
              .call(
                  MessageTypes.METHOD_SENDMSG,
                  Duration.ofSeconds(60),
                  MessageCodec.encode(register(id(i)))));
    }
    for (CompletableFuture<Value> r : registered) {
      r.get(60, TimeUnit.SECONDS);
    }
    assertThat(refusal(client(CurveKeys.generate()), register(id(limit + 1))))
        .startsWith("Refused: too many new agent keys from 127.0.0.1");
  }
}
