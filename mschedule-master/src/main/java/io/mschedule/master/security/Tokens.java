package io.mschedule.master.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * API token secrets: {@code mst_} followed by 32 random bytes in URL-safe base64 (43 characters),
 * and the SHA-256 under which they are stored. The prefix makes a leaked token easy to recognise
 * (and to scan for).
 */
public final class Tokens {
  public static final String PREFIX = "mst_";
  static final int SECRET_BYTES = 32;
  private static final int ID_BYTES = 8;
  private static final SecureRandom RANDOM = new SecureRandom();

  private Tokens() {}

  /** A new random token secret. */
  public static String newSecret() {
    byte[] b = new byte[SECRET_BYTES];
    RANDOM.nextBytes(b);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** A new random token id: 16 hex digits. Ids are not secret. */
  static String newId() {
    byte[] b = new byte[ID_BYTES];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** The hex SHA-256 of the secret, as stored. */
  public static String hash(String secret) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** True when the text has the shape of a token secret (it may still be unknown or revoked). */
  static boolean wellFormed(String secret) {
    if (secret == null
        || !secret.startsWith(PREFIX)
        || secret.length() < PREFIX.length() + 43
        || secret.length() > 200) {
      return false;
    }
    for (int i = PREFIX.length(); i < secret.length(); i++) {
      char c = secret.charAt(i);
      boolean ok =
          c >= 'A' && c <= 'Z'
              || c >= 'a' && c <= 'z'
              || c >= '0' && c <= '9'
              || c == '-'
              || c == '_';
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
