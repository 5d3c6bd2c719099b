package io.mschedule.agent.session;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** Checks a received script against the SHA-256 its order names. */
final class ScriptChecksum {
  private ScriptChecksum() {}

  /** Lower-case hex SHA-256 of {@code data}. */
  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Null when {@code expected} is null (no checksum sent) or matches the script; otherwise why the
   * script must not run.
   */
  static String mismatch(byte[] script, String expected) {
    if (expected == null) {
      return null;
    }
    String actual = sha256(script);
    if (actual.equals(expected.toLowerCase(Locale.ROOT))) {
      return null;
    }
    return "script checksum mismatch: the order names sha256 "
        + expected
        + " but the received script has sha256 "
        + actual
        + "; the script was not run";
  }
}
