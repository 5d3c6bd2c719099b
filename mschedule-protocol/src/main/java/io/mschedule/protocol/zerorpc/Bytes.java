package io.mschedule.protocol.zerorpc;

/** Small helpers for logging byte arrays. */
final class Bytes {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Bytes() {}

  static String hex(byte[] bytes) {
    char[] out = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      out[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
      out[2 * i + 1] = HEX[bytes[i] & 0xf];
    }
    return new String(out);
  }

  /** The bytes as text when they are printable ASCII, else as hex. */
  static String printable(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0x20 || b > 0x7e) {
        return "0x" + hex(bytes);
      }
    }
    return new String(bytes, java.nio.charset.StandardCharsets.US_ASCII);
  }
}
