package io.mschedule.protocol.zerorpc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

/**
 * Parses the Python literals of the wire-vector file ({@code msgpack.unpackb(raw=False)} output)
 * into msgpack values: str as str, {@code b'..'} as bin, dicts as maps in their order.
 */
final class PythonLiteral {
  private final String text;
  private int pos;

  private PythonLiteral(String text) {
    this.text = text;
  }

  static Value parse(String text) {
    PythonLiteral p = new PythonLiteral(text);
    Value v = p.value();
    p.skipSpace();
    if (p.pos != text.length()) {
      throw p.error("trailing text");
    }
    return v;
  }

  private Value value() {
    skipSpace();
    char c = text.charAt(pos);
    switch (c) {
      case '{':
        return dict();
      case '[':
        return sequence('[', ']');
      case '(':
        return sequence('(', ')');
      case '\'':
      case '"':
        return ValueFactory.newString(quoted());
      case 'b':
        pos++;
        return ValueFactory.newBinary(quoted().getBytes(StandardCharsets.ISO_8859_1));
      default:
        if (text.startsWith("None", pos)) {
          pos += 4;
          return ValueFactory.newNil();
        }
        if (text.startsWith("True", pos)) {
          pos += 4;
          return ValueFactory.newBoolean(true);
        }
        if (text.startsWith("False", pos)) {
          pos += 5;
          return ValueFactory.newBoolean(false);
        }
        return number();
    }
  }

  private Value dict() {
    pos++;
    List<Value> kv = new ArrayList<>();
    while (true) {
      skipSpace();
      if (text.charAt(pos) == '}') {
        pos++;
        return ValueFactory.newMap(kv.toArray(new Value[0]));
      }
      kv.add(value());
      skipSpace();
      expect(':');
      kv.add(value());
      skipSpace();
      if (text.charAt(pos) == ',') {
        pos++;
      }
    }
  }

  private Value sequence(char open, char close) {
    expect(open);
    List<Value> items = new ArrayList<>();
    while (true) {
      skipSpace();
      if (text.charAt(pos) == close) {
        pos++;
        return ValueFactory.newArray(items);
      }
      items.add(value());
      skipSpace();
      if (text.charAt(pos) == ',') {
        pos++;
      }
    }
  }

  private String quoted() {
    char quote = text.charAt(pos++);
    StringBuilder sb = new StringBuilder();
    while (true) {
      char c = text.charAt(pos++);
      if (c == quote) {
        return sb.toString();
      }
      if (c == '\\') {
        char e = text.charAt(pos++);
        switch (e) {
          case 'n' -> sb.append('\n');
          case 't' -> sb.append('\t');
          case 'x' -> {
            sb.append((char) Integer.parseInt(text.substring(pos, pos + 2), 16));
            pos += 2;
          }
          default -> sb.append(e);
        }
      } else {
        sb.append(c);
      }
    }
  }

  private Value number() {
    int start = pos;
    if (text.charAt(pos) == '-') {
      pos++;
    }
    while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
      pos++;
    }
    if (start == pos) {
      throw error("unexpected character");
    }
    return ValueFactory.newInteger(Long.parseLong(text.substring(start, pos)));
  }

  private void expect(char c) {
    if (text.charAt(pos) != c) {
      throw error("expected " + c);
    }
    pos++;
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException(what + " at " + pos + " in " + text);
  }
}
