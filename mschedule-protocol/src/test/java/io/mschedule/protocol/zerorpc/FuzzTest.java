package io.mschedule.protocol.zerorpc;

import static io.mschedule.protocol.zerorpc.Fixtures.WAIT;
import static io.mschedule.protocol.zerorpc.Fixtures.array;
import static io.mschedule.protocol.zerorpc.Fixtures.endpoint;
import static io.mschedule.protocol.zerorpc.Fixtures.i;
import static io.mschedule.protocol.zerorpc.Fixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

/**
 * Thousands of random, truncated and type-confused frames from raw DEALER sockets. Afterwards the
 * server still answers, and its I/O thread is alive.
 */
class FuzzTest {
  private static final int FRAMES_PER_DEALER = 1_000;

  @Test
  void serverSurvivesGarbageAndKeepsServing() throws Exception {
    long seed = System.nanoTime();
    System.out.println("fuzz seed " + seed);
    Random random = new Random(seed);
    AtomicInteger handled = new AtomicInteger();
    try (ZeroRpcServer server =
        ZeroRpcServer.start(
            Fixtures.localServer(),
            call -> {
              handled.incrementAndGet();
              call.reply(ValueFactory.newNil());
            })) {
      List<byte[]> valid = new ArrayList<>();
      for (WireVectors.Vector v : WireVectors.load()) {
        valid.add(v.payload());
      }
      List<RawDealer> dealers = new ArrayList<>();
      try {
        for (int d = 0; d < 3; d++) {
          RawDealer dealer = new RawDealer(endpoint(server));
          dealers.add(dealer);
          for (int k = 0; k < FRAMES_PER_DEALER; k++) {
            sendGarbage(dealer, random, valid);
          }
        }
        // frames are handled in order per connection: a pong means all before it were handled
        for (RawDealer dealer : dealers) {
          assertPingAnswered(dealer);
        }
      } finally {
        dealers.forEach(RawDealer::close);
      }
      assertThat(server.ioThreadAlive()).isTrue();
      try (ZeroRpcClient client = ZeroRpcClient.connect(Fixtures.clientTo(server))) {
        assertThat(client.call("after", WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS).isNilValue())
            .isTrue();
      }
      System.out.println("fuzz: " + handled.get() + " frames reached the handler");
    }
  }

  @Test
  void typeConfusedRequestsWithAnIdGetBadRequestNamingTheProblem() throws Exception {
    try (ZeroRpcServer server =
            ZeroRpcServer.start(Fixtures.localServer(), call -> call.reply(i(1)));
        RawDealer dealer = new RawDealer(endpoint(server))) {
      Map<String, String> cases = new LinkedHashMap<>();
      cases.put(hexEvent("07", "90"), "event name must be str, got integer");
      cases.put(hexEvent("c4024f4b", "90"), "event name must be str, got bin");
      cases.put(hexEvent("a24f4b", "c0"), "args of a call must be an array, got nil");
      cases.put(hexEvent("a24f4b", "91c1"), "is not a msgpack type");
      cases.put(hexEvent("a24f4b", "dc0005"), "declares 5 elements but only 0 bytes follow");
      cases.put(hexEvent("a24f4b", "dc"), "truncated");
      for (Map.Entry<String, String> c : cases.entrySet()) {
        dealer.send(EventCodecTest.hex(c.getKey()));
        Event reply = dealer.receivePayload(WAIT);
        assertThat(reply.name()).isEqualTo("ERR");
        assertThat(reply.responseTo())
            .hasValue(MessageId.bin("fuzz".getBytes(StandardCharsets.US_ASCII)));
        assertThat(reply.args().asArrayValue().get(0)).isEqualTo(s("BadRequest"));
        assertThat(reply.args().asArrayValue().get(1).toString()).contains(c.getValue());
        assertThat(reply.args().asArrayValue().get(2).isNilValue()).isTrue();
      }
      // no id, or an id of a wrong type: nothing to answer to, dropped
      dealer.send(EventCodecTest.hex("93" + "80" + "07" + "90"));
      dealer.send(EventCodecTest.hex("93" + "81aa" + hex("message_id") + "01" + "a1" + "6d90"));
      // an event for a channel that does not exist: dropped silently
      dealer.sendOnChannel(MessageId.generate(), "_zpc_more", array(i(5)));
      assertThat(dealer.receivePayload(Duration.ofMillis(300))).isNull();
      assertPingAnswered(dealer);
    }
  }

  @Test
  void oversizedEventsAreRefused() throws Exception {
    try (ZeroRpcServer server =
            ZeroRpcServer.start(
                Fixtures.localServer().maxMessageBytes(64 * 1024), call -> call.reply(i(1)));
        RawDealer dealer = new RawDealer(endpoint(server))) {
      // over the limit: answered with BadRequest
      MessageId id = MessageId.generate();
      byte[] big =
          Event.create(id, null, "sendmsg", array(ValueFactory.newBinary(new byte[100_000])))
              .encode();
      dealer.send(big);
      Event reply = dealer.receivePayload(WAIT);
      assertThat(reply.responseTo()).hasValue(id);
      assertThat(reply.args().asArrayValue().get(0)).isEqualTo(s("BadRequest"));
      assertThat(reply.args().asArrayValue().get(1).toString())
          .isEqualTo("event is " + big.length + " bytes, over the 65536-byte limit");

      // over twice the limit: ZeroMQ drops the connection; the DEALER reconnects by itself
      dealer.send(
          Event.create(
                  MessageId.generate(),
                  null,
                  "sendmsg",
                  array(ValueFactory.newBinary(new byte[200_000])))
              .encode());
      assertPingAnswered(dealer);
      assertThat(server.ioThreadAlive()).isTrue();
    }
  }

  // ------------------------------------------------------------------ generators

  private static void sendGarbage(RawDealer dealer, Random random, List<byte[]> valid)
      throws IOException {
    byte[] base = valid.get(random.nextInt(valid.size()));
    switch (random.nextInt(9)) {
      case 0 -> dealer.send(randomBytes(random, random.nextInt(300)));
      case 1 -> dealer.send(Arrays.copyOf(base, random.nextInt(base.length)));
      case 2 -> {
        byte[] flipped = base.clone();
        for (int k = 0; k <= random.nextInt(4); k++) {
          flipped[random.nextInt(flipped.length)] = (byte) random.nextInt(256);
        }
        dealer.send(flipped);
      }
      case 3 -> dealer.send(typeConfused(random));
      case 4 -> dealer.send(pack(randomValue(random, 0)));
      case 5 -> {
        // frames of any shape: none empty-delimited, several, empty ones
        int n = 1 + random.nextInt(4);
        byte[][] frames = new byte[n][];
        for (int k = 0; k < n; k++) {
          frames[k] = random.nextBoolean() ? new byte[0] : randomBytes(random, random.nextInt(40));
        }
        dealer.sendFrames(frames);
      }
      case 6 -> {
        // hostile sizes and nesting
        String[] hostile = {
          "ddffffffff",
          "dfffffffff",
          "dbffffffff",
          "c6ffffffff",
          "c9ffffffff01",
          "91".repeat(5000),
          "93" + "df7fffffff",
          "9380a24f4bdd7fffffff"
        };
        dealer.send(EventCodecTest.hex(hostile[random.nextInt(hostile.length)]));
      }
      case 7 ->
          // events for channels that do not exist, with odd arguments
          dealer.sendOnChannel(
              random.nextBoolean() ? MessageId.generate() : MessageId.str("nope"),
              random.nextBoolean() ? "_zpc_more" : "_zpc_hb",
              randomValue(random, 0));
      default -> dealer.send(base); // valid events, requests among them
    }
  }

  private static byte[] typeConfused(Random random) throws IOException {
    List<Value> header = new ArrayList<>();
    String[] keys = {"message_id", "response_to", "v", "x"};
    for (String key : keys) {
      if (random.nextBoolean()) {
        header.add(random.nextInt(8) == 0 ? ValueFactory.newBinary(key.getBytes()) : s(key));
        header.add(
            random.nextBoolean()
                ? ValueFactory.newBinary(randomBytes(random, 1 + random.nextInt(40)))
                : randomValue(random, 2));
      }
    }
    Value headerValue =
        random.nextInt(6) == 0
            ? randomValue(random, 1)
            : ValueFactory.newMap(header.toArray(new Value[0]));
    Value name = random.nextInt(3) == 0 ? randomValue(random, 2) : s("m" + random.nextInt(3));
    List<Value> event = new ArrayList<>(List.of(headerValue, name, randomValue(random, 0)));
    if (random.nextInt(6) == 0) {
      event = event.subList(0, random.nextInt(3));
    }
    return pack(ValueFactory.newArray(event));
  }

  private static Value randomValue(Random random, int depth) {
    int kind = random.nextInt(depth > 3 ? 8 : 11);
    return switch (kind) {
      case 0 -> ValueFactory.newNil();
      case 1 -> ValueFactory.newBoolean(random.nextBoolean());
      case 2 -> ValueFactory.newInteger(random.nextLong());
      case 3 -> ValueFactory.newInteger(random.nextInt(200) - 100);
      case 4 -> ValueFactory.newFloat(random.nextDouble());
      case 5 -> s("s" + random.nextInt(1000));
      case 6 -> ValueFactory.newString(randomBytes(random, random.nextInt(10))); // maybe not UTF-8
      case 7 -> ValueFactory.newBinary(randomBytes(random, random.nextInt(20)));
      case 8 -> ValueFactory.newExtension((byte) random.nextInt(256), randomBytes(random, 4));
      case 9 -> {
        Value[] items = new Value[random.nextInt(5)];
        for (int k = 0; k < items.length; k++) {
          items[k] = randomValue(random, depth + 1);
        }
        yield ValueFactory.newArray(items);
      }
      default -> {
        Value[] kv = new Value[2 * random.nextInt(4)];
        for (int k = 0; k < kv.length; k++) {
          kv[k] = randomValue(random, depth + 1);
        }
        yield ValueFactory.newMap(kv);
      }
    };
  }

  private static byte[] pack(Value value) throws IOException {
    try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
      packer.packValue(value);
      return packer.toByteArray();
    }
  }

  private static byte[] randomBytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  /** An event with header {message_id: bin 'fuzz'} and the given name and args, in hex. */
  private static String hexEvent(String nameHex, String argsHex) {
    return "93" + "81" + "aa" + hex("message_id") + "c404" + hex("fuzz") + nameHex + argsHex;
  }

  private static String hex(String ascii) {
    return java.util.HexFormat.of().formatHex(ascii.getBytes(StandardCharsets.US_ASCII));
  }

  private static void assertPingAnswered(RawDealer dealer) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    MessageId ping = dealer.call("_zerorpc_ping");
    long nextPing = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (System.nanoTime() < deadline) {
      Event e = dealer.receivePayload(Duration.ofMillis(500));
      if (e != null && e.responseTo().isPresent() && e.responseTo().get().equals(ping)) {
        assertThat(e.args()).isEqualTo(array(array(s("pong"), s("test-server"))));
        return;
      }
      if (e == null && System.nanoTime() > nextPing) {
        ping = dealer.call("_zerorpc_ping"); // the connection may have been dropped and renewed
        nextPing = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      }
    }
    throw new AssertionError("no pong within " + WAIT);
  }
}
