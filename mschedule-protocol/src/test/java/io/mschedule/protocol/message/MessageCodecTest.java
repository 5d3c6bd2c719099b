package io.mschedule.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.msgpack.value.ValueFactory.newArray;
import static org.msgpack.value.ValueFactory.newInteger;
import static org.msgpack.value.ValueFactory.newMap;
import static org.msgpack.value.ValueFactory.newString;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

class MessageCodecTest {

  @Test
  void decodes_the_register_message_captured_from_the_python_client() throws Exception {
    // args of the captured sendmsg call in zerorpc-wire-vectors.md
    byte[] event =
        HexFormat.of()
            .parseHex(
                "9382aa6d6573736167655f6964c4206135646335343236316462323465646261623433613164353133616664396265a17603a773656e646d73679182a474797065a87265676973746572a77061796c6f616483a26964a3616263a8686f73746e616d65a168a2697091a831302e302e302e31");
    Value decoded;
    try (MessageUnpacker u = MessagePack.newDefaultUnpacker(event)) {
      decoded = u.unpackValue();
    }
    Value msg = decoded.asArrayValue().get(2).asArrayValue().get(0);

    Message m = MessageCodec.decode(msg);

    assertThat(m).isInstanceOf(Register.class);
    Register r = (Register) m;
    assertThat(r.id()).isEqualTo("abc");
    assertThat(r.hostname()).isEqualTo("h");
    assertThat(r.ip()).containsExactly("10.0.0.1");
    assertThat(r.labels()).isEmpty();
    assertThat(r.protocol()).isEqualTo(MessageTypes.PROTOCOL_VERSION);
    assertThat(r.name()).as("older agents send no name").isNull();
  }

  @Test
  void accepts_the_design_spelling_reg_for_register() {
    Value msg =
        newMap(
            newString("type"), newString("reg"),
            newString("payload"),
                newMap(
                    newString("id"), newString("x1"),
                    newString("hostname"), newString("node"),
                    newString("ip"), newArray(List.of())));
    assertThat(MessageCodec.decode(msg)).isInstanceOf(Register.class);
  }

  @Test
  void every_message_survives_a_round_trip() {
    List<Message> all =
        List.of(
            new Register(
                "a1",
                "web-01",
                List.of("10.0.0.2"),
                Map.of("role", "web"),
                "1.0",
                1,
                List.of("t1"),
                "tok"),
            new Register(
                "a2", "web-01", List.of(), Map.of(), "1.0", 1, List.of(), null, "web-01-clone"),
            new Heartbeat("a1", "web-01", List.of("10.0.0.2"), List.of("t1", "t2")),
            new Heartbeat("a1", null, null, List.of()),
            new OutputChunk("t1", "a1", 7, new byte[] {0, (byte) 0xff, 65}),
            new OutputChunk("t1", "a1", 8, new byte[] {66}, StdStream.STDERR, 3),
            new Result(
                "t1",
                "a1",
                Result.EXITED,
                1,
                "outerrout".getBytes(StandardCharsets.UTF_8),
                false,
                null,
                1,
                2,
                OutputStreams.of(3, 3, 3),
                1),
            new Result(
                "t1",
                "a1",
                Result.TIMED_OUT,
                143,
                "tail".getBytes(StandardCharsets.UTF_8),
                true,
                null,
                1,
                2),
            new Subscribe("a1"),
            new Subscribed("a1"),
            new TaskOrder("t1", "echo hi\n".getBytes(StandardCharsets.UTF_8), 30, 2, 0.5, 1),
            new TaskOrder(
                "t2",
                "echo $GREETING\n".getBytes(StandardCharsets.UTF_8),
                0,
                1,
                0,
                -1,
                "ab12",
                java.util.Map.of("GREETING", "hello world")),
            new KillOrder("t1"));
    for (Message m : all) {
      Message back = MessageCodec.decode(MessageCodec.encode(m));
      assertThat(back).usingRecursiveComparison().isEqualTo(m);
    }
  }

  @Test
  void a_chunk_without_a_stream_is_stdout_and_stdout_chunks_carry_none() {
    Value v = MessageCodec.encode(new OutputChunk("t1", "a1", 0, new byte[] {65}));
    var payload = v.asMapValue().map().get(newString("payload")).asMapValue().map();
    assertThat(payload).doesNotContainKey(newString("stream"));
    assertThat(((OutputChunk) MessageCodec.decode(v)).stream()).isEqualTo(StdStream.STDOUT);

    Value err =
        MessageCodec.encode(new OutputChunk("t1", "a1", 1, new byte[] {65}, StdStream.STDERR, 1));
    var errPayload = err.asMapValue().map().get(newString("payload")).asMapValue().map();
    assertThat(errPayload.get(newString("stream"))).isEqualTo(newString("stderr"));
  }

  @Test
  void stream_fields_that_make_no_sense_are_refused_by_name() {
    Value chunk =
        payload(
            "output",
            Map.of(
                "id", newString("t1"),
                "agent_id", newString("a1"),
                "seq", newInteger(0),
                "data", newString("QQ=="),
                "stream", newString("stdin")));
    assertThatThrownBy(() -> MessageCodec.decode(chunk))
        .isInstanceOf(BadMessageException.class)
        .hasMessageContaining("output.payload.stream")
        .hasMessageContaining("stdin");
    Value result =
        payload(
            "result",
            Map.of(
                "id", newString("t1"),
                "agent_id", newString("a1"),
                "code", newInteger(0),
                "output", newString("QUJD"),
                "streams", newArray(newInteger(1), newInteger(5))));
    assertThatThrownBy(() -> MessageCodec.decode(result))
        .isInstanceOf(BadMessageException.class)
        .hasMessageContaining("result.payload.streams")
        .hasMessageContaining("cover 6 bytes but the output has 3");
  }

  private static Value payload(String type, Map<String, Value> fields) {
    Map<Value, Value> p = new java.util.LinkedHashMap<>();
    fields.forEach((k, v) -> p.put(newString(k), v));
    return newMap(newString("type"), newString(type), newString("payload"), ValueFactory.newMap(p));
  }

  @Test
  void task_without_checksum_and_env_decodes_with_none() {
    Value v =
        MessageCodec.encode(
            new TaskOrder("t1", "echo hi".getBytes(StandardCharsets.UTF_8), 0, 1, 0, -1));
    var payload = v.asMapValue().map().get(newString("payload")).asMapValue().map();
    assertThat(payload).doesNotContainKeys(newString("script_sha256"), newString("env"));
    TaskOrder back = (TaskOrder) MessageCodec.decode(v);
    assertThat(back.scriptSha256()).isNull();
    assertThat(back.env()).isEmpty();
  }

  @Test
  void a_first_attempt_is_not_written_and_a_missing_attempt_reads_as_1() {
    Value v =
        MessageCodec.encode(
            new TaskOrder("t1", "echo hi".getBytes(StandardCharsets.UTF_8), 0, 1, 0, -1));
    var payload = v.asMapValue().map().get(newString("payload")).asMapValue().map();
    assertThat(payload).doesNotContainKey(newString("attempt"));
    assertThat(((TaskOrder) MessageCodec.decode(v)).attempt()).isEqualTo(1);
  }

  @Test
  void task_and_result_carry_a_later_attempt() {
    TaskOrder order =
        new TaskOrder(
            "t1",
            "echo hi".getBytes(StandardCharsets.UTF_8),
            0,
            1,
            0,
            -1,
            null,
            Map.of(),
            List.of(),
            false,
            3);
    assertThat(((TaskOrder) MessageCodec.decode(MessageCodec.encode(order))).attempt())
        .isEqualTo(3);
    Result result =
        new Result(
            "t1",
            "a1",
            Result.EXITED,
            0,
            "outerr".getBytes(StandardCharsets.UTF_8),
            false,
            null,
            1,
            2,
            OutputStreams.of(3, 3),
            2);
    Result back = (Result) MessageCodec.decode(MessageCodec.encode(result));
    assertThat(back.attempt()).isEqualTo(2);
    assertThat(back.streams()).isEqualTo(OutputStreams.of(3, 3));
    assertThat(
            ((Result)
                    MessageCodec.decode(
                        MessageCodec.encode(
                            new Result(
                                "t1", "a1", Result.EXITED, 0, new byte[0], false, null, 1, 2))))
                .attempt())
        .isEqualTo(1);
  }

  @Test
  void a_result_carries_its_last_output_chunks_and_an_older_result_has_none() {
    Result result =
        new Result(
                "t1",
                "a1",
                Result.EXITED,
                0,
                "onetwo".getBytes(StandardCharsets.UTF_8),
                false,
                null,
                1,
                2,
                OutputStreams.of(3, 3),
                1)
            .withLastChunks(
                List.of(
                    new OutputChunk(
                        "t1", "a1", 4, "one".getBytes(StandardCharsets.UTF_8), StdStream.STDOUT, 0),
                    new OutputChunk(
                        "t1", "a1", 5, "two".getBytes(StandardCharsets.UTF_8), StdStream.STDERR, 3),
                    new OutputChunk("t1", "a1", 6, new byte[] {0})));
    Value wire = MessageCodec.encode(result);
    Value chunks =
        wire.asMapValue()
            .map()
            .get(newString("payload"))
            .asMapValue()
            .map()
            .get(newString("output_chunks"));
    assertThat(chunks.asArrayValue().get(1).toJson())
        .isEqualTo("{\"seq\":5,\"data\":\"dHdv\",\"stream\":\"stderr\",\"offset\":3}");
    Result back = (Result) MessageCodec.decode(wire);
    assertThat(back).usingRecursiveComparison().isEqualTo(result);
    assertThat(back.lastChunks()).extracting(OutputChunk::seq).containsExactly(4L, 5L, 6L);

    Value plain =
        MessageCodec.encode(
            new Result("t1", "a1", Result.EXITED, 0, new byte[0], false, null, 1, 2));
    assertThat(plain.toJson()).doesNotContain("output_chunks");
    assertThat(((Result) MessageCodec.decode(plain)).lastChunks()).isEmpty();
  }

  @Test
  void a_last_chunk_without_its_data_is_refused_naming_the_field() {
    Value wire =
        newMap(
            newString("type"),
            newString("result"),
            newString("payload"),
            newMap(
                newString("id"), newString("t1"),
                newString("agent_id"), newString("a1"),
                newString("code"), newInteger(0),
                newString("output_chunks"), newArray(newMap(newString("seq"), newInteger(0)))));
    assertThatThrownBy(() -> MessageCodec.decode(wire))
        .isInstanceOf(BadMessageException.class)
        .hasMessageContaining("output_chunks[0]")
        .hasMessageContaining("data");
  }

  @Test
  void an_attempt_below_1_is_refused_naming_the_field() {
    Value v =
        newMap(
            newString("type"),
            newString("task"),
            newString("payload"),
            newMap(
                newString("id"), newString("t1"),
                newString("script"), newString("ZWNobyBoaQ=="),
                newString("attempt"), newInteger(0)));
    assertThatThrownBy(() -> MessageCodec.decode(v))
        .isInstanceOf(BadMessageException.class)
        .hasMessageContaining("attempt");
  }

  @Test
  void task_files_and_copy_round_trip_and_are_left_out_when_absent() {
    String sha = "ab".repeat(32);
    TaskOrder order =
        new TaskOrder(
            "t1",
            "exit 1".getBytes(StandardCharsets.UTF_8),
            0,
            1,
            0,
            -1,
            null,
            Map.of(),
            List.of(
                new FileOrder(sha, 12, "/etc/app.conf", "0640", "root:adm"),
                new FileOrder(sha, 12, "data.bin", null, null)),
            true,
            1);

    TaskOrder back = (TaskOrder) MessageCodec.decode(MessageCodec.encode(order));

    assertThat(back.files()).isEqualTo(order.files());
    assertThat(back.copy()).isTrue();
    var plain =
        MessageCodec.encode(new TaskOrder("t1", "x".getBytes(StandardCharsets.UTF_8), 0, 1, 0, -1))
            .asMapValue()
            .map()
            .get(newString("payload"))
            .asMapValue()
            .map();
    assertThat(plain).doesNotContainKeys(newString("files"), newString("copy"));
  }

  @Test
  void a_file_without_dest_is_refused_naming_the_field() {
    Value v =
        newMap(
            newString("type"),
            newString("task"),
            newString("payload"),
            newMap(
                newString("id"), newString("t1"),
                newString("script"), newString("eA=="),
                newString("files"),
                    newArray(newMap(newString("sha256"), newString("ab".repeat(32))))));

    assertThatThrownBy(() -> MessageCodec.decode(v))
        .isInstanceOf(BadMessageException.class)
        .hasMessage("task.payload.files[0].dest: required field is missing");
  }

  @Test
  void fetch_file_round_trips_and_bounds_the_length() {
    FetchFile f = new FetchFile("t1", "a1", "cd".repeat(32), 1 << 20, 1 << 20);
    assertThat(MessageCodec.decode(MessageCodec.encode(f))).isEqualTo(f);

    Value tooLong = MessageCodec.encode(new FetchFile("t1", "a1", "cd".repeat(32), 0, 1 << 21));
    assertThatThrownBy(() -> MessageCodec.decode(tooLong))
        .isInstanceOf(BadMessageException.class)
        .hasMessageContaining("fetch_file.payload.length");
  }

  void task_script_travels_as_base64_text() {
    Value v =
        MessageCodec.encode(
            new TaskOrder("t1", "echo hi".getBytes(StandardCharsets.UTF_8), 0, 1, 0, -1));
    Value script =
        v.asMapValue().map().get(newString("payload")).asMapValue().map().get(newString("script"));
    assertThat(script.isStringValue()).isTrue();
    assertThat(script.asStringValue().asString()).isEqualTo("ZWNobyBoaQ==");
  }

  @Test
  void errors_name_the_field_at_fault() {
    Value wrongType =
        newMap(
            newString("type"), newString("register"),
            newString("payload"),
                newMap(
                    newString("id"),
                    newString("x"),
                    newString("hostname"),
                    newInteger(5),
                    newString("ip"),
                    newArray(List.of())));
    assertThatThrownBy(() -> MessageCodec.decode(wrongType))
        .isInstanceOf(BadMessageException.class)
        .hasMessage("register.payload.hostname: expected a string, got integer");

    Value missing =
        newMap(
            newString("type"),
            newString("heartbeat"),
            newString("payload"),
            ValueFactory.emptyMap());
    assertThatThrownBy(() -> MessageCodec.decode(missing))
        .hasMessage("heartbeat.payload.id: required field is missing");

    assertThatThrownBy(() -> MessageCodec.decode(newString("hello")))
        .hasMessage("message: expected a map, got string");

    Value unknown =
        newMap(
            newString("type"), newString("dance"), newString("payload"), ValueFactory.emptyMap());
    assertThatThrownBy(() -> MessageCodec.decode(unknown))
        .hasMessageContaining("unknown type 'dance'");

    Value badB64 =
        newMap(
            newString("type"), newString("output"),
            newString("payload"),
                newMap(
                    newString("id"),
                    newString("t"),
                    newString("agent_id"),
                    newString("a"),
                    newString("seq"),
                    newInteger(0),
                    newString("data"),
                    newString("!!notbase64")));
    assertThatThrownBy(() -> MessageCodec.decode(badB64))
        .hasMessageStartingWith("output.payload.data: not valid Base64");
  }

  private static Value result(long code) {
    return newMap(
        newString("type"), newString("result"),
        newString("payload"),
            newMap(
                newString("id"), newString("t"),
                newString("agent_id"), newString("a"),
                newString("code"), newInteger(code)));
  }

  @Test
  void exit_codes_outside_the_int_range_or_below_minus_one_are_refused() {
    assertThat(((Result) MessageCodec.decode(result(-1))).code()).isEqualTo(-1);
    assertThat(((Result) MessageCodec.decode(result(Integer.MAX_VALUE))).code())
        .isEqualTo(Integer.MAX_VALUE);
    for (long bad : new long[] {1L << 40, -2, Integer.MIN_VALUE, 1L + Integer.MAX_VALUE}) {
      assertThatThrownBy(() -> MessageCodec.decode(result(bad)))
          .as("code %d", bad)
          .isInstanceOf(BadMessageException.class)
          .hasMessageStartingWith("result.payload.code: " + bad + " is out of range");
    }
  }

  @Test
  void ack_has_status_type_and_id() {
    Value ack = MessageCodec.ack("register", "abc", Map.of());
    assertThat(ack.toJson()).isEqualTo("{\"status\":\"ok\",\"type\":\"register\",\"id\":\"abc\"}");
  }
}
