package io.mschedule.protocol.message;

import static org.msgpack.value.ValueFactory.newArray;
import static org.msgpack.value.ValueFactory.newBoolean;
import static org.msgpack.value.ValueFactory.newFloat;
import static org.msgpack.value.ValueFactory.newInteger;
import static org.msgpack.value.ValueFactory.newString;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

/** Converts messages to and from their msgpack form {@code {"type": .., "payload": {..}}}. */
public final class MessageCodec {
  private MessageCodec() {}

  /** Decodes one message; throws {@link BadMessageException} naming the field at fault. */
  public static Message decode(Value value) {
    FieldReader msg = FieldReader.of("message", value);
    String type = msg.string("type");
    FieldReader p = msg.map("payload").rename(type);
    return switch (type) {
      case MessageTypes.REGISTER, MessageTypes.REGISTER_ALIAS ->
          new Register(
              p.string("id"),
              p.string("hostname"),
              p.stringList("ip"),
              p.optStringMap("labels"),
              p.optString("version"),
              p.optInteger("protocol", MessageTypes.PROTOCOL_VERSION, 0, Integer.MAX_VALUE),
              orEmpty(p.optStringList("running")),
              p.optString("token"),
              p.optString("name"));
      case MessageTypes.HEARTBEAT ->
          new Heartbeat(
              p.string("id"),
              p.optString("hostname"),
              p.optStringList("ip"),
              orEmpty(p.optStringList("running")));
      case MessageTypes.OUTPUT ->
          new OutputChunk(
              p.string("id"),
              p.string("agent_id"),
              p.integer("seq"),
              p.base64("data"),
              p.optStream("stream"),
              p.optInteger("offset", OutputChunk.NO_OFFSET));
      case MessageTypes.RESULT -> result(p);
      case MessageTypes.SUBSCRIBE -> new Subscribe(p.string("id"));
      case MessageTypes.SUBSCRIBED -> new Subscribed(p.string("id"));
      case MessageTypes.TASK ->
          new TaskOrder(
              p.string("id"),
              p.base64("script"),
              (int) p.optInteger("timeout", 0),
              (int) p.optInteger("parallel", 1),
              p.optNumber("fail_rate", 0),
              (int) p.optInteger("fail_count", -1),
              p.optString("script_sha256"),
              orEmpty(p.optStringMap("env")),
              files(p),
              p.optBoolean("copy", false),
              p.optInteger("attempt", 1, 1, Integer.MAX_VALUE));
      case MessageTypes.FETCH_FILE ->
          new FetchFile(
              p.string("id"),
              p.string("agent_id"),
              p.string("sha256"),
              p.optInteger("offset", 0L),
              p.integer("length", 1, FetchFile.MAX_LENGTH));
      case MessageTypes.KILL -> new KillOrder(p.string("id"));
      default -> throw new BadMessageException("message.type: unknown type '" + type + "'");
    };
  }

  private static Result result(FieldReader p) {
    byte[] output = p.optString("output") == null ? new byte[0] : p.base64("output");
    return new Result(
        p.string("id"),
        p.string("agent_id"),
        p.optString("status") == null ? Result.EXITED : p.optString("status"),
        p.integer("code", -1, Integer.MAX_VALUE),
        output,
        p.optBoolean("truncated", false),
        p.optString("error"),
        p.optInteger("started_at", 0),
        p.optInteger("finished_at", 0),
        p.optStreams("streams", output.length),
        p.optInteger("attempt", 1, 1, Integer.MAX_VALUE),
        lastChunks(p, p.string("id"), p.string("agent_id")));
  }

  /** A result's {@code output_chunks}: each an output message's payload without its ids. */
  private static List<OutputChunk> lastChunks(FieldReader p, String id, String agentId) {
    return p.optMapList("output_chunks").stream()
        .map(
            c ->
                new OutputChunk(
                    id,
                    agentId,
                    c.integer("seq"),
                    c.base64("data"),
                    c.optStream("stream"),
                    c.optInteger("offset", OutputChunk.NO_OFFSET)))
        .toList();
  }

  /** Encodes a message in its wire form. */
  public static Value encode(Message m) {
    Map<String, Value> p = new LinkedHashMap<>();
    if (m instanceof Register r) {
      p.put("id", str(r.id()));
      p.put("hostname", str(r.hostname()));
      p.put("ip", strings(r.ip()));
      p.put("labels", stringMap(r.labels()));
      putIfPresent(p, "version", r.version());
      p.put("protocol", newInteger(r.protocol()));
      p.put("running", strings(r.running()));
      putIfPresent(p, "token", r.token());
      putIfPresent(p, "name", r.name());

    } else if (m instanceof Heartbeat h) {
      p.put("id", str(h.id()));
      putIfPresent(p, "hostname", h.hostname());
      if (h.ip() != null) {
        p.put("ip", strings(h.ip()));
      }
      p.put("running", strings(h.running()));

    } else if (m instanceof OutputChunk o) {
      p.put("id", str(o.id()));
      p.put("agent_id", str(o.agentId()));
      p.put("seq", newInteger(o.seq()));
      p.put("data", base64(o.data()));
      if (o.stream() != StdStream.STDOUT) {
        p.put("stream", str(o.stream().wireName()));
      }
      if (o.offset() >= 0) {
        p.put("offset", newInteger(o.offset()));
      }

    } else if (m instanceof Result r) {
      p.put("id", str(r.id()));
      p.put("agent_id", str(r.agentId()));
      p.put("status", str(r.status()));
      p.put("code", newInteger(r.code()));
      p.put("output", base64(r.output()));
      p.put("truncated", newBoolean(r.truncated()));
      putIfPresent(p, "error", r.error());
      p.put("started_at", newInteger(r.startedAt()));
      p.put("finished_at", newInteger(r.finishedAt()));
      if (!r.streams().allStdout()) {
        p.put(
            "streams",
            newArray(r.streams().runList().stream().map(n -> (Value) newInteger(n)).toList()));
      }
      putAttempt(p, r.attempt());
      if (!r.lastChunks().isEmpty()) {
        p.put("output_chunks", newArray(r.lastChunks().stream().map(MessageCodec::chunk).toList()));
      }

    } else if (m instanceof Subscribe s) {
      p.put("id", str(s.id()));
    } else if (m instanceof Subscribed s) {
      p.put("id", str(s.id()));
    } else if (m instanceof TaskOrder t) {
      p.put("id", str(t.id()));
      p.put("script", base64(t.script()));
      p.put("timeout", newInteger(t.timeout()));
      p.put("parallel", newInteger(t.parallel()));
      p.put("fail_rate", newFloat(t.failRate()));
      p.put("fail_count", newInteger(t.failCount()));
      putIfPresent(p, "script_sha256", t.scriptSha256());
      if (!t.env().isEmpty()) {
        p.put("env", stringMap(t.env()));
      }
      putAttempt(p, t.attempt());
      if (!t.files().isEmpty()) {
        p.put("files", newArray(t.files().stream().map(MessageCodec::file).toList()));
      }
      if (t.copy()) {
        p.put("copy", newBoolean(true));
      }

    } else if (m instanceof FetchFile f) {
      p.put("id", str(f.id()));
      p.put("agent_id", str(f.agentId()));
      p.put("sha256", str(f.sha256()));
      p.put("offset", newInteger(f.offset()));
      p.put("length", newInteger(f.length()));

    } else if (m instanceof KillOrder k) {
      p.put("id", str(k.id()));
    } else {
      throw new IllegalArgumentException("unknown message " + m);
    }
    Map<Value, Value> payload = new LinkedHashMap<>();
    p.forEach((k, v) -> payload.put(str(k), v));
    return ValueFactory.newMap(
        str("type"), str(m.type()), str("payload"), ValueFactory.newMap(payload));
  }

  /** One of a result's {@code output_chunks}. */
  private static Value chunk(OutputChunk o) {
    Map<Value, Value> c = new LinkedHashMap<>();
    c.put(str("seq"), newInteger(o.seq()));
    c.put(str("data"), base64(o.data()));
    if (o.stream() != StdStream.STDOUT) {
      c.put(str("stream"), str(o.stream().wireName()));
    }
    if (o.offset() >= 0) {
      c.put(str("offset"), newInteger(o.offset()));
    }
    return ValueFactory.newMap(c);
  }

  /** An acknowledgement {@code {"status": "ok", "type": type, "id": id, ...extra}}. */
  public static Value ack(String type, String id, Map<String, Value> extra) {
    Map<Value, Value> out = new LinkedHashMap<>();
    out.put(str("status"), str("ok"));
    out.put(str("type"), str(type));
    out.put(str("id"), str(id));
    extra.forEach((k, v) -> out.put(str(k), v));
    return ValueFactory.newMap(out);
  }

  private static List<FileOrder> files(FieldReader p) {
    List<FieldReader> items = p.optMapList("files");
    return items.stream()
        .map(
            f ->
                new FileOrder(
                    f.string("sha256"),
                    f.optInteger("size", 0L),
                    f.string("dest"),
                    f.optString("mode"),
                    f.optString("owner")))
        .toList();
  }

  private static Value file(FileOrder f) {
    Map<Value, Value> out = new LinkedHashMap<>();
    out.put(str("sha256"), str(f.sha256()));
    out.put(str("size"), newInteger(f.size()));
    out.put(str("dest"), str(f.dest()));
    if (f.mode() != null) {
      out.put(str("mode"), str(f.mode()));
    }
    if (f.owner() != null) {
      out.put(str("owner"), str(f.owner()));
    }
    return ValueFactory.newMap(out);
  }

  private static Map<String, String> orEmpty(Map<String, String> map) {
    return map == null ? Map.of() : map;
  }

  private static List<String> orEmpty(List<String> list) {
    return list == null ? List.of() : list;
  }

  /** A first attempt is not written: the message stays as older peers know it. */
  private static void putAttempt(Map<String, Value> p, int attempt) {
    if (attempt != 1) {
      p.put("attempt", newInteger(attempt));
    }
  }

  private static void putIfPresent(Map<String, Value> p, String key, String value) {
    if (value != null) {
      p.put(key, str(value));
    }
  }

  private static Value str(String s) {
    return newString(s);
  }

  private static Value base64(byte[] data) {
    return newString(Base64.getEncoder().encodeToString(data));
  }

  private static Value strings(List<String> list) {
    return newArray(list.stream().map(ValueFactory::newString).map(v -> (Value) v).toList());
  }

  private static Value stringMap(Map<String, String> map) {
    Map<Value, Value> out = new LinkedHashMap<>();
    map.forEach((k, v) -> out.put(str(k), str(v)));
    return ValueFactory.newMap(out);
  }
}
