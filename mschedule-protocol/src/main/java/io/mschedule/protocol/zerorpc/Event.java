package io.mschedule.protocol.zerorpc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ArrayValue;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

/**
 * One zerorpc event: the msgpack array {@code [header, name, args]} carried in the last frame of a
 * ZeroMQ message.
 *
 * <p>The header keeps its keys in their original order and its values as msgpack values, so an
 * event decoded from the wire encodes back to the same bytes. Header keys and the name are always
 * packed as msgpack str.
 */
public final class Event {
  /** The zerorpc protocol version this implementation speaks and sends as {@code v}. */
  public static final int PROTOCOL_VERSION = 3;

  static final String MESSAGE_ID = "message_id";
  static final String RESPONSE_TO = "response_to";
  static final String VERSION = "v";

  private final Map<String, Value> header;
  private final String name;
  private final Value args;

  /**
   * @param header header entries in wire order; {@code message_id} and {@code response_to}, when
   *     present, must be bin or str and {@code v} an integer
   * @param args any msgpack value; {@code null} means nil
   */
  public Event(Map<String, ? extends Value> header, String name, Value args) {
    Objects.requireNonNull(name, "name");
    LinkedHashMap<String, Value> copy = new LinkedHashMap<>();
    if (header != null) {
      header.forEach(
          (k, v) -> copy.put(Objects.requireNonNull(k, "header key"), Objects.requireNonNull(v)));
    }
    try {
      checkHeader(copy);
    } catch (ProtocolException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    this.header = Collections.unmodifiableMap(copy);
    this.name = name;
    this.args = args == null ? ValueFactory.newNil() : args;
  }

  /**
   * A new event with the header zerorpc-python writes: {@code message_id}, {@code v: 3}, then
   * {@code response_to} when {@code responseTo} is not null.
   */
  public static Event create(MessageId messageId, MessageId responseTo, String name, Value args) {
    LinkedHashMap<String, Value> header = new LinkedHashMap<>();
    header.put(MESSAGE_ID, messageId.toValue());
    header.put(VERSION, ValueFactory.newInteger(PROTOCOL_VERSION));
    if (responseTo != null) {
      header.put(RESPONSE_TO, responseTo.toValue());
    }
    return new Event(header, name, args);
  }

  public Map<String, Value> header() {
    return header;
  }

  public String name() {
    return name;
  }

  public Value args() {
    return args;
  }

  public Optional<MessageId> messageId() {
    return idField(MESSAGE_ID);
  }

  /** The channel this event belongs to; absent on the first event of a channel (a request). */
  public Optional<MessageId> responseTo() {
    return idField(RESPONSE_TO);
  }

  /** The sender's protocol version, absent when the header has no {@code v}. */
  public OptionalLong version() {
    Value v = header.get(VERSION);
    return v == null ? OptionalLong.empty() : OptionalLong.of(v.asIntegerValue().toLong());
  }

  private Optional<MessageId> idField(String field) {
    Value v = header.get(field);
    if (v == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(MessageId.fromValue(v, field));
    } catch (ProtocolException e) {
      throw new IllegalStateException(e); // checked in the constructor
    }
  }

  /** The msgpack bytes of this event. */
  public byte[] encode() {
    try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
      packer.packArrayHeader(3);
      packer.packMapHeader(header.size());
      for (Map.Entry<String, Value> e : header.entrySet()) {
        packer.packString(e.getKey());
        packer.packValue(e.getValue());
      }
      packer.packString(name);
      packer.packValue(args);
      return packer.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in-memory buffer: does not happen
    }
  }

  /**
   * Decodes one event. A header that is not a map reads as an empty header (as zerorpc-python
   * does); header keys that are not str are ignored, because no zerorpc implementation can look
   * them up.
   *
   * @throws ProtocolException naming the problem, e.g. {@code event is not a 3-element array}
   */
  public static Event decode(byte[] payload) throws ProtocolException {
    MsgpackScanner.validate(payload);
    Value root;
    try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(payload)) {
      root = unpacker.unpackValue();
    } catch (IOException | RuntimeException e) {
      throw new ProtocolException("event is not valid msgpack: " + e.getMessage(), e);
    }
    if (!root.isArrayValue() || root.asArrayValue().size() != 3) {
      throw new ProtocolException(
          "event is not a 3-element array (got "
              + (root.isArrayValue()
                  ? root.asArrayValue().size() + "-element array"
                  : typeName(root))
              + ")");
    }
    ArrayValue array = root.asArrayValue();
    LinkedHashMap<String, Value> header = new LinkedHashMap<>();
    Value rawHeader = array.get(0);
    if (rawHeader.isMapValue()) {
      Value[] kv = rawHeader.asMapValue().getKeyValueArray();
      for (int i = 0; i < kv.length; i += 2) {
        if (kv[i].isStringValue()) {
          header.put(kv[i].asStringValue().toString(), kv[i + 1]);
        }
      }
    }
    checkHeader(header);
    Value nameValue = array.get(1);
    if (!nameValue.isStringValue()) {
      throw new ProtocolException("event name must be str, got " + typeName(nameValue));
    }
    String name = utf8(nameValue.asStringValue().asByteArray(), "event name");
    return new Event(header, name, array.get(2));
  }

  private static void checkHeader(Map<String, Value> header) throws ProtocolException {
    Value id = header.get(MESSAGE_ID);
    if (id != null) {
      MessageId.fromValue(id, MESSAGE_ID);
    }
    Value responseTo = header.get(RESPONSE_TO);
    if (responseTo != null) {
      MessageId.fromValue(responseTo, RESPONSE_TO);
    }
    Value v = header.get(VERSION);
    if (v != null && !(v.isIntegerValue() && v.asIntegerValue().isInLongRange())) {
      throw new ProtocolException("header.v must be an integer, got " + typeName(v));
    }
  }

  static String utf8(byte[] bytes, String what) throws ProtocolException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new ProtocolException(what + " is not valid UTF-8");
    }
  }

  /** msgpack's name for the type of a value, as used in error messages. */
  static String typeName(Value value) {
    switch (value.getValueType()) {
      case NIL:
        return "nil";
      case BOOLEAN:
        return "boolean";
      case INTEGER:
        return "integer";
      case FLOAT:
        return "float";
      case STRING:
        return "str";
      case BINARY:
        return "bin";
      case ARRAY:
        return "array";
      case MAP:
        return "map";
      default:
        return "ext";
    }
  }

  /** What could be read of the ids of a frame that failed to decode. */
  record PeekedIds(MessageId messageId, MessageId responseTo, boolean hasResponseTo) {}

  /**
   * Best-effort read of {@code message_id} and {@code response_to} from a frame that may be
   * malformed or too big to decode, so a {@code BadRequest} can still be answered. Reads only the
   * header; never throws.
   */
  static PeekedIds peekIds(byte[] payload) {
    MessageId messageId = null;
    MessageId responseTo = null;
    boolean hasResponseTo = false;
    try (MessageUnpacker u = MessagePack.newDefaultUnpacker(payload)) {
      if (u.getNextFormat().getValueType() != org.msgpack.value.ValueType.ARRAY
          || u.unpackArrayHeader() < 1
          || u.getNextFormat().getValueType() != org.msgpack.value.ValueType.MAP) {
        return new PeekedIds(null, null, false);
      }
      int entries = u.unpackMapHeader();
      for (int i = 0; i < entries && i < 64; i++) {
        String key = null;
        MessageFormat keyFormat = u.getNextFormat();
        if (keyFormat.getValueType() == org.msgpack.value.ValueType.STRING) {
          int len = u.unpackRawStringHeader();
          if (len <= 32) {
            key = new String(u.readPayload(len), StandardCharsets.UTF_8);
          } else {
            skipBytes(u, len);
          }
        } else {
          u.skipValue();
        }
        if (RESPONSE_TO.equals(key)) {
          hasResponseTo = true;
          responseTo = peekId(u, RESPONSE_TO);
        } else if (MESSAGE_ID.equals(key)) {
          messageId = peekId(u, MESSAGE_ID);
        } else {
          u.skipValue();
        }
      }
    } catch (IOException | RuntimeException e) {
      // keep what was read
    }
    return new PeekedIds(messageId, responseTo, hasResponseTo);
  }

  private static MessageId peekId(MessageUnpacker u, String field) throws IOException {
    MessageFormat f = u.getNextFormat();
    org.msgpack.value.ValueType t = f.getValueType();
    if (t != org.msgpack.value.ValueType.STRING && t != org.msgpack.value.ValueType.BINARY) {
      u.skipValue();
      return null;
    }
    int len =
        t == org.msgpack.value.ValueType.STRING
            ? u.unpackRawStringHeader()
            : u.unpackBinaryHeader();
    if (len > 1024) {
      skipBytes(u, len);
      return null;
    }
    byte[] bytes = u.readPayload(len);
    return t == org.msgpack.value.ValueType.STRING ? MessageId.str(bytes) : MessageId.bin(bytes);
  }

  private static void skipBytes(MessageUnpacker u, int len) throws IOException {
    u.readPayloadAsReference(len); // a view into the frame: no copy
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Event e
        && header.equals(e.header)
        && name.equals(e.name)
        && args.equals(e.args);
  }

  @Override
  public int hashCode() {
    return Objects.hash(header, name, args);
  }

  @Override
  public String toString() {
    return "Event[" + header + ", " + name + ", " + args + "]";
  }
}
