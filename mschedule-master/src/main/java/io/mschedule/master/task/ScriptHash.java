package io.mschedule.master.task;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of a script's bytes (text: its UTF-8 bytes), as lower-case hex: how scripts are
 * named.
 */
public final class ScriptHash {
  private ScriptHash() {}

  public static String of(String script) {
    return of(script.getBytes(StandardCharsets.UTF_8));
  }

  public static String of(byte[] script) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(script));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
