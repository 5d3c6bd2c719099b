package io.mschedule.protocol.message;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.value.Value;
import org.msgpack.value.ValueType;

/** Typed access to a msgpack map, with errors that name the field's path. */
final class FieldReader {
  private final String path;
  private final Map<String, Value> fields;

  private FieldReader(String path, Map<String, Value> fields) {
    this.path = path;
    this.fields = fields;
  }

  static FieldReader of(String path, Value value) {
    if (value == null || !value.isMapValue()) {
      throw new BadMessageException(path + ": expected a map, got " + describe(value));
    }
    Map<String, Value> fields = new HashMap<>();
    for (Map.Entry<Value, Value> e : value.asMapValue().map().entrySet()) {
      Value key = e.getKey();
      if (key.isStringValue()) {
        fields.put(key.asStringValue().asString(), e.getValue());
      } else if (key.isBinaryValue()) {
        fields.put(key.asBinaryValue().asString(), e.getValue());
      }
    }
    return new FieldReader(path, fields);
  }

  /** The same fields, reported under {@code <type>.payload} in errors. */
  FieldReader rename(String type) {
    return new FieldReader(type + ".payload", fields);
  }

  FieldReader map(String name) {
    return of(path + "." + name, required(name));
  }

  String string(String name) {
    return asString(name, required(name));
  }

  /** A field of any type, as it came. */
  Value value(String name) {
    return required(name);
  }

  /** A list field, its items as they came. */
  List<Value> list(String name) {
    Value v = required(name);
    if (!v.isArrayValue()) {
      throw wrongType(name, "a list", v);
    }
    return v.asArrayValue().list();
  }

  String optString(String name) {
    Value v = fields.get(name);
    return v == null || v.isNilValue() ? null : asString(name, v);
  }

  long integer(String name) {
    return asLong(name, required(name));
  }

  /** An integer that must fit in {@code [min, max]}; the error names the field and the range. */
  int integer(String name, int min, int max) {
    long v = integer(name);
    if (v < min || v > max) {
      throw new BadMessageException(
          path + "." + name + ": " + v + " is out of range (" + min + " to " + max + ")");
    }
    return (int) v;
  }

  /** Like {@link #integer(String, int, int)}, with a default when the field is absent. */
  int optInteger(String name, int defaultValue, int min, int max) {
    Value v = fields.get(name);
    return v == null || v.isNilValue() ? defaultValue : integer(name, min, max);
  }

  long optInteger(String name, long defaultValue) {
    Value v = fields.get(name);
    return v == null || v.isNilValue() ? defaultValue : asLong(name, v);
  }

  double optNumber(String name, double defaultValue) {
    Value v = fields.get(name);
    if (v == null || v.isNilValue()) {
      return defaultValue;
    }
    if (v.isIntegerValue()) {
      return v.asIntegerValue().toLong();
    }
    if (v.isFloatValue()) {
      return v.asFloatValue().toDouble();
    }
    throw wrongType(name, "a number", v);
  }

  boolean optBoolean(String name, boolean defaultValue) {
    Value v = fields.get(name);
    if (v == null || v.isNilValue()) {
      return defaultValue;
    }
    if (!v.isBooleanValue()) {
      throw wrongType(name, "a boolean", v);
    }
    return v.asBooleanValue().getBoolean();
  }

  List<String> stringList(String name) {
    return asStringList(name, required(name));
  }

  /** Null when absent. */
  List<String> optStringList(String name) {
    Value v = fields.get(name);
    return v == null || v.isNilValue() ? null : asStringList(name, v);
  }

  /** A list of maps, each read with its index in the path; empty when absent. */
  List<FieldReader> optMapList(String name) {
    Value v = fields.get(name);
    if (v == null || v.isNilValue()) {
      return List.of();
    }
    if (!v.isArrayValue()) {
      throw wrongType(name, "a list of maps", v);
    }
    List<FieldReader> out = new ArrayList<>();
    int i = 0;
    for (Value item : v.asArrayValue()) {
      out.add(of(path + "." + name + "[" + i++ + "]", item));
    }
    return out;
  }

  Map<String, String> optStringMap(String name) {
    Value v = fields.get(name);
    if (v == null || v.isNilValue()) {
      return Map.of();
    }
    if (!v.isMapValue()) {
      throw wrongType(name, "a map of strings", v);
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<Value, Value> e : v.asMapValue().map().entrySet()) {
      String key = asString(name + " key", e.getKey());
      out.put(key, asString(name + "." + key, e.getValue()));
    }
    return out;
  }

  byte[] base64(String name) {
    String text = string(name);
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new BadMessageException(
          path + "." + name + ": not valid Base64 (" + e.getMessage() + ")");
    }
  }

  /** The stream a chunk is from; absent is stdout. */
  StdStream optStream(String name) {
    String s = optString(name);
    try {
      return StdStream.fromWire(s);
    } catch (IllegalArgumentException e) {
      throw new BadMessageException(path + "." + name + ": " + e.getMessage());
    }
  }

  /** Stream runs (a list of non-negative integers) covering {@code outputLength} bytes. */
  OutputStreams optStreams(String name, int outputLength) {
    Value v = fields.get(name);
    if (v == null || v.isNilValue()) {
      return OutputStreams.ALL_STDOUT;
    }
    if (!v.isArrayValue()) {
      throw wrongType(name, "a list of integers", v);
    }
    int[] runs = new int[v.asArrayValue().size()];
    int i = 0;
    for (Value item : v.asArrayValue()) {
      long n = asLong(name + "[" + i + "]", item);
      if (n < 0 || n > Integer.MAX_VALUE) {
        throw new BadMessageException(
            path + "." + name + "[" + i + "]: expected 0 to " + Integer.MAX_VALUE + ", got " + n);
      }
      runs[i++] = (int) n;
    }
    OutputStreams streams = OutputStreams.of(runs);
    try {
      streams.check(outputLength);
    } catch (IllegalArgumentException e) {
      throw new BadMessageException(path + "." + name + ": " + e.getMessage());
    }
    return streams;
  }

  private Value required(String name) {
    Value v = fields.get(name);
    if (v == null || v.isNilValue()) {
      throw new BadMessageException(path + "." + name + ": required field is missing");
    }
    return v;
  }

  private String asString(String name, Value v) {
    if (v.isStringValue()) {
      return v.asStringValue().asString();
    }
    if (v.isBinaryValue()) {
      return v.asBinaryValue().asString();
    }
    throw wrongType(name, "a string", v);
  }

  private long asLong(String name, Value v) {
    if (v.isIntegerValue() && v.asIntegerValue().isInLongRange()) {
      return v.asIntegerValue().toLong();
    }
    if (v.isFloatValue()) {
      double d = v.asFloatValue().toDouble();
      if (d == Math.rint(d) && Math.abs(d) < 1e15) {
        return (long) d;
      }
    }
    throw wrongType(name, "an integer", v);
  }

  private List<String> asStringList(String name, Value v) {
    if (!v.isArrayValue()) {
      throw wrongType(name, "a list of strings", v);
    }
    List<String> out = new ArrayList<>();
    int i = 0;
    for (Value item : v.asArrayValue()) {
      out.add(asString(name + "[" + i++ + "]", item));
    }
    return out;
  }

  private BadMessageException wrongType(String name, String expected, Value v) {
    return new BadMessageException(
        path + "." + name + ": expected " + expected + ", got " + describe(v));
  }

  static String describe(Value v) {
    if (v == null) {
      return "nothing";
    }
    ValueType t = v.getValueType();
    return switch (t) {
      case NIL -> "nil";
      case BOOLEAN -> "boolean";
      case INTEGER -> "integer";
      case FLOAT -> "float";
      case STRING -> "string";
      case BINARY -> "binary";
      case ARRAY -> "array";
      case MAP -> "map";
      case EXTENSION -> "extension";
    };
  }
}
