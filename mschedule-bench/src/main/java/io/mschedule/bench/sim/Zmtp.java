package io.mschedule.bench.sim;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The few pieces of ZMTP 3.0 (ZeroMQ's wire protocol, rfc.zeromq.org/spec/23) that a DEALER with
 * the NULL security mechanism needs: the greeting, the READY command and message frames.
 *
 * <p>The simulated agents speak it directly over non-blocking sockets, so one thread can drive ten
 * thousand real TCP connections to the master's ROUTER socket without a ZeroMQ context, I/O thread
 * and signalling pipes per agent.
 */
final class Zmtp {
  static final int GREETING_BYTES = 64;
  static final int FLAG_MORE = 0x01;
  static final int FLAG_LONG = 0x02;
  static final int FLAG_COMMAND = 0x04;

  private Zmtp() {}

  /** Our greeting: signature, version 3.0, mechanism NULL, as-server 0, filler. */
  static byte[] greeting() {
    byte[] g = new byte[GREETING_BYTES];
    g[0] = (byte) 0xFF;
    g[9] = 0x7F;
    g[10] = 3; // major
    g[11] = 0; // minor
    byte[] mech = "NULL".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(mech, 0, g, 12, mech.length);
    return g;
  }

  /** True when {@code g} (64 bytes) is a ZMTP 3.x greeting with the NULL mechanism. */
  static boolean validGreeting(ByteBuffer in, int at) {
    if ((in.get(at) & 0xff) != 0xFF || (in.get(at + 9) & 0x01) != 0x01) {
      return false;
    }
    if (in.get(at + 10) < 3) {
      return false;
    }
    return in.get(at + 12) == 'N'
        && in.get(at + 13) == 'U'
        && in.get(at + 14) == 'L'
        && in.get(at + 15) == 'L';
  }

  /** The READY command of a DEALER socket with an empty identity (the ROUTER assigns one). */
  static byte[] readyCommand() {
    ByteBuffer body = ByteBuffer.allocate(64);
    putShortString(body, "READY");
    putProperty(body, "Socket-Type", "DEALER");
    putProperty(body, "Identity", "");
    body.flip();
    byte[] frame = new byte[2 + body.remaining()];
    frame[0] = FLAG_COMMAND;
    frame[1] = (byte) body.remaining();
    body.get(frame, 2, body.remaining());
    return frame;
  }

  /** A zerorpc request or event as a DEALER sends it: an empty delimiter frame, then the event. */
  static ByteBuffer dealerMessage(byte[] payload) {
    int header = payload.length > 255 ? 9 : 2;
    ByteBuffer out = ByteBuffer.allocate(2 + header + payload.length);
    out.put((byte) FLAG_MORE).put((byte) 0); // empty delimiter
    if (header == 9) {
      out.put((byte) FLAG_LONG).putLong(payload.length);
    } else {
      out.put((byte) 0).put((byte) payload.length);
    }
    out.put(payload);
    out.flip();
    return out;
  }

  private static void putShortString(ByteBuffer b, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
    b.put((byte) bytes.length).put(bytes);
  }

  private static void putProperty(ByteBuffer b, String name, String value) {
    putShortString(b, name);
    byte[] v = value.getBytes(StandardCharsets.US_ASCII);
    b.putInt(v.length).put(v);
  }
}
