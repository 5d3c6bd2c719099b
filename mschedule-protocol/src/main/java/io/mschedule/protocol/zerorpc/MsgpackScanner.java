package io.mschedule.protocol.zerorpc;

/**
 * Checks, without building any object, that a byte array holds exactly one well-formed msgpack
 * value whose declared lengths fit in the array and whose nesting stays under a limit.
 *
 * <p>msgpack-core's {@code unpackValue} trusts declared sizes (a 5-byte frame can ask for a
 * 2^32-element array) and recurses once per nesting level, so untrusted frames go through this scan
 * first.
 */
final class MsgpackScanner {
  static final int MAX_DEPTH = 100;

  private final byte[] data;
  private int pos;

  private MsgpackScanner(byte[] data) {
    this.data = data;
  }

  /** Throws a {@link ProtocolException} naming the first problem found. */
  static void validate(byte[] data) throws ProtocolException {
    if (data.length == 0) {
      throw new ProtocolException("event is empty");
    }
    MsgpackScanner scanner = new MsgpackScanner(data);
    scanner.scan();
    if (scanner.pos != data.length) {
      throw new ProtocolException(
          "event has " + (data.length - scanner.pos) + " trailing bytes after the msgpack value");
    }
  }

  private void scan() throws ProtocolException {
    // remaining[d] = values still expected at depth d (depth 0 is the top-level value)
    long[] remaining = new long[MAX_DEPTH + 1];
    int depth = 0;
    remaining[0] = 1;
    while (true) {
      while (remaining[depth] == 0) {
        if (depth == 0) {
          return;
        }
        depth--;
      }
      remaining[depth]--;
      long children = scanOne();
      if (children > 0) {
        if (depth == MAX_DEPTH) {
          throw new ProtocolException("event nests deeper than " + MAX_DEPTH + " levels");
        }
        depth++;
        remaining[depth] = children;
      }
    }
  }

  /** Consumes one value header (and payload for scalars); returns the number of child values. */
  private long scanOne() throws ProtocolException {
    int at = pos;
    int b = u8();
    if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3) {
      return 0;
    }
    if (b >= 0x80 && b <= 0x8f) {
      return children(at, 2L * (b & 0x0f));
    }
    if (b >= 0x90 && b <= 0x9f) {
      return children(at, b & 0x0f);
    }
    if (b >= 0xa0 && b <= 0xbf) {
      return skip(at, b & 0x1f);
    }
    switch (b) {
      case 0xc4, 0xd9:
        return skip(at, u8());
      case 0xc5, 0xda:
        return skip(at, u16());
      case 0xc6, 0xdb:
        return skip(at, u32());
      case 0xc7:
        return skip(at, u8() + 1L);
      case 0xc8:
        return skip(at, u16() + 1L);
      case 0xc9:
        return skip(at, u32() + 1L);
      case 0xca:
        return skip(at, 4);
      case 0xcb:
        return skip(at, 8);
      case 0xcc, 0xd0:
        return skip(at, 1);
      case 0xcd, 0xd1:
        return skip(at, 2);
      case 0xce, 0xd2:
        return skip(at, 4);
      case 0xcf, 0xd3:
        return skip(at, 8);
      case 0xd4:
        return skip(at, 2);
      case 0xd5:
        return skip(at, 3);
      case 0xd6:
        return skip(at, 5);
      case 0xd7:
        return skip(at, 9);
      case 0xd8:
        return skip(at, 17);
      case 0xdc:
        return children(at, u16());
      case 0xdd:
        return children(at, u32());
      case 0xde:
        return children(at, 2L * u16());
      case 0xdf:
        return children(at, 2L * u32());
      default:
        throw new ProtocolException(
            "event is not valid msgpack: byte 0x"
                + Integer.toHexString(b)
                + " at offset "
                + at
                + " is not a msgpack type");
    }
  }

  private long children(int at, long count) throws ProtocolException {
    // every child takes at least one byte
    if (count > data.length - pos) {
      throw new ProtocolException(
          "event is not valid msgpack: container at offset "
              + at
              + " declares "
              + count
              + " elements but only "
              + (data.length - pos)
              + " bytes follow");
    }
    return count;
  }

  private long skip(int at, long length) throws ProtocolException {
    if (length > data.length - pos) {
      throw new ProtocolException(
          "event is not valid msgpack: value at offset "
              + at
              + " declares "
              + length
              + " bytes but only "
              + (data.length - pos)
              + " follow");
    }
    pos += (int) length;
    return 0;
  }

  private int u8() throws ProtocolException {
    need(1);
    return data[pos++] & 0xff;
  }

  private int u16() throws ProtocolException {
    need(2);
    int v = ((data[pos] & 0xff) << 8) | (data[pos + 1] & 0xff);
    pos += 2;
    return v;
  }

  private long u32() throws ProtocolException {
    need(4);
    long v =
        ((long) (data[pos] & 0xff) << 24)
            | ((data[pos + 1] & 0xff) << 16)
            | ((data[pos + 2] & 0xff) << 8)
            | (data[pos + 3] & 0xff);
    pos += 4;
    return v;
  }

  private void need(int n) throws ProtocolException {
    if (data.length - pos < n) {
      throw new ProtocolException("event is not valid msgpack: truncated at byte " + data.length);
    }
  }
}
