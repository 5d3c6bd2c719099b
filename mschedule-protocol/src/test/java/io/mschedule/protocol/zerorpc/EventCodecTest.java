package io.mschedule.protocol.zerorpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

class EventCodecTest {

  static Stream<WireVectors.Vector> vectors() {
    return WireVectors.load().stream();
  }

  @Test
  void vectorFileIsComplete() {
    // 16 Python-to-Python events and 8 with the node client
    assertThat(WireVectors.load()).hasSize(24);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void everyWireVectorDecodesToWhatPythonRead(WireVectors.Vector vector) throws Exception {
    Event event = Event.decode(vector.payload());

    Value expected = PythonLiteral.parse(vector.decoded());
    Value expectedHeader = expected.asArrayValue().get(0);
    Value expectedArgs = expected.asArrayValue().get(2);
    if (vector.tracebackNil()) {
      List<Value> args = new ArrayList<>(expectedArgs.asArrayValue().list());
      args.set(2, ValueFactory.newNil());
      expectedArgs = ValueFactory.newArray(args);
    }
    assertThat(headerAsValue(event)).isEqualTo(expectedHeader);
    assertThat(new ArrayList<>(event.header().keySet()))
        .as("header key order")
        .isEqualTo(keysOf(expectedHeader));
    assertThat(event.name()).isEqualTo(expected.asArrayValue().get(1).asStringValue().toString());
    assertThat(event.args()).isEqualTo(expectedArgs);
    // str stays str and bin stays bin
    Value expectedId = expectedHeader.asMapValue().map().get(ValueFactory.newString("message_id"));
    assertThat(event.messageId().orElseThrow().isString()).isEqualTo(expectedId.isStringValue());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void everyWireVectorEncodesBackToTheSameBytes(WireVectors.Vector vector) throws Exception {
    Event event = Event.decode(vector.payload());
    assertThat(HexFormat.of().formatHex(event.encode()))
        .isEqualTo(HexFormat.of().formatHex(vector.payload()));

    // the same event built from its parts, as our server and client build theirs
    Event rebuilt = new Event(new LinkedHashMap<>(event.header()), event.name(), event.args());
    assertThat(rebuilt.encode()).isEqualTo(vector.payload());
    if (List.of("message_id", "v", "response_to")
        .subList(0, event.header().size())
        .equals(new ArrayList<>(event.header().keySet()))) {
      Event created =
          Event.create(
              event.messageId().orElseThrow(),
              event.responseTo().orElse(null),
              event.name(),
              event.args());
      assertThat(created.encode()).isEqualTo(vector.payload());
    }
  }

  @Test
  void replyToANodeRequestEchoesItsStrIdAndIsByteExact() throws Exception {
    List<WireVectors.Vector> all = WireVectors.load();
    int index = 0;
    while (!all.get(index).decoded().contains("'message_id': 'c71b88b0")) {
      index++;
    }
    WireVectors.Vector nodeRequest = all.get(index);
    WireVectors.Vector pythonReply = all.get(index + 1);
    Event request = Event.decode(nodeRequest.payload());
    Event reply = Event.decode(pythonReply.payload());

    Event ours =
        Event.create(
            reply.messageId().orElseThrow(), request.messageId().orElseThrow(), "OK", reply.args());

    assertThat(request.messageId().orElseThrow().isString()).isTrue();
    assertThat(ours.responseTo().orElseThrow().isString()).isTrue();
    assertThat(ours.encode()).isEqualTo(pythonReply.payload());
  }

  @Test
  void newMessageIdsAre32HexCharactersSentAsBin() {
    Set<MessageId> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      MessageId id = MessageId.generate();
      assertThat(id.kind()).isEqualTo(MessageId.Kind.BIN);
      assertThat(new String(id.bytes(), StandardCharsets.US_ASCII)).matches("[0-9a-f]{32}");
      assertThat(seen.add(id)).isTrue();
    }
    byte[] encoded =
        Event.create(MessageId.generate(), null, "m", ValueFactory.emptyArray()).encode();
    // fixarray(3), fixmap(2), fixstr 'message_id', then bin8 of 32 bytes
    assertThat(Arrays.copyOfRange(encoded, 13, 15)).isEqualTo(new byte[] {(byte) 0xc4, 32});
  }

  @Test
  void headerThatIsNotAMapReadsAsEmpty() throws Exception {
    Event event = Event.decode(hex("93" + "90" + "a24f4b" + "90"));
    assertThat(event.header()).isEmpty();
    assertThat(event.name()).isEqualTo("OK");
    assertThat(event.messageId()).isEmpty();
  }

  @Test
  void unknownHeaderKeysAreKept() throws Exception {
    Map<String, Value> header = new LinkedHashMap<>();
    header.put("message_id", ValueFactory.newBinary(new byte[] {1}));
    header.put("task_context", ValueFactory.newMap(Map.of()));
    Event event = new Event(header, "m", ValueFactory.emptyArray());
    assertThat(Event.decode(event.encode())).isEqualTo(event);
  }

  static Stream<Arguments> malformed() {
    String okName = "a24f4b";
    return Stream.of(
        Arguments.of("", "event is empty"),
        Arguments.of("01", "event is not a 3-element array (got integer)"),
        Arguments.of("92" + "80" + okName, "event is not a 3-element array (got 2-element array)"),
        Arguments.of("81a16101", "event is not a 3-element array (got map)"),
        Arguments.of("93" + "80" + "c4024f4b" + "90", "event name must be str, got bin"),
        Arguments.of("93" + "80" + "07" + "90", "event name must be str, got integer"),
        Arguments.of("93" + "80" + "a2fffe" + "90", "event name is not valid UTF-8"),
        Arguments.of(
            "93" + "81" + str("message_id") + "01" + okName + "90",
            "header.message_id must be bin or str, got integer"),
        Arguments.of(
            "93" + "81" + str("response_to") + "c0" + okName + "90",
            "header.response_to must be bin or str, got nil"),
        Arguments.of(
            "93" + "81" + str("v") + "a133" + okName + "90",
            "header.v must be an integer, got str"),
        Arguments.of("93" + "80" + okName, "truncated"),
        Arguments.of("93" + "80" + okName + "90" + "00", "1 trailing bytes"),
        Arguments.of("ddffffffff", "declares 4294967295 elements"),
        Arguments.of("93" + "80" + okName + "dbffffffff", "declares 4294967295 bytes"),
        Arguments.of("93" + "80" + okName + "c1", "0xc1 at offset 5 is not a msgpack type"),
        Arguments.of("91".repeat(200) + "c0", "nests deeper than 100 levels"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("malformed")
  void malformedEventsAreRejectedWithAMessageNamingTheProblem(String hex, String message) {
    assertThatThrownBy(() -> Event.decode(hex(hex)))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining(message);
  }

  @Test
  void idsCanBePeekedFromAnEventThatDoesNotDecode() {
    String id = "c4" + "03" + "616263";
    byte[] badArgsType =
        hex("93" + "81" + str("message_id") + id + "a24f4b" + "93" + "c1"); // truncated args
    Event.PeekedIds ids = Event.peekIds(badArgsType);
    assertThat(ids.messageId()).isEqualTo(MessageId.bin("abc".getBytes(StandardCharsets.US_ASCII)));
    assertThat(ids.hasResponseTo()).isFalse();

    Event.PeekedIds withResponse =
        Event.peekIds(hex("93" + "82" + str("message_id") + id + str("response_to") + "05"));
    assertThat(withResponse.hasResponseTo()).isTrue();
    assertThat(Event.peekIds(hex("c1")).messageId()).isNull();
  }

  private static Value headerAsValue(Event event) {
    List<Value> kv = new ArrayList<>();
    event
        .header()
        .forEach(
            (k, v) -> {
              kv.add(ValueFactory.newString(k));
              kv.add(v);
            });
    return ValueFactory.newMap(kv.toArray(new Value[0]));
  }

  private static List<String> keysOf(Value map) {
    List<String> keys = new ArrayList<>();
    Value[] kv = map.asMapValue().getKeyValueArray();
    for (int i = 0; i < kv.length; i += 2) {
      keys.add(kv[i].asStringValue().toString());
    }
    return keys;
  }

  private static String str(String s) {
    return HexFormat.of().formatHex(new byte[] {(byte) (0xa0 | s.length())})
        + HexFormat.of().formatHex(s.getBytes(StandardCharsets.US_ASCII));
  }

  static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex);
  }
}
