package io.mschedule.protocol.signing;

import io.mschedule.protocol.keys.KeyFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * The master's Ed25519 order key: {@code order.key} (Base64 of the 32-byte private seed, mode 0600)
 * and {@code order.pub} (Base64 of the 32-byte public key, RFC 8032 encoding) in a data directory.
 * The public key's text form everywhere (files, {@code --order-key}, the register answer) is that
 * Base64 text.
 */
public final class OrderKeys {
  /** The order key pair's files are {@code order.key} and {@code order.pub}. */
  public static final String NAME = "order";

  /** DER prefixes that turn the raw 32 bytes into the JDK's X.509 and PKCS#8 encodings. */
  private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

  private static final byte[] PKCS8_PREFIX =
      HexFormat.of().parseHex("302e020100300506032b657004220420");

  private static final int RAW_LENGTH = 32;

  private OrderKeys() {}

  /** Reads the pair from {@code dir}, creating it on first use. */
  public static KeyPair loadOrCreate(Path dir) {
    Path secret = dir.resolve(NAME + ".key");
    Path pub = dir.resolve(NAME + ".pub");
    try {
      if (Files.exists(secret)) {
        return read(secret, pub);
      }
      Files.createDirectories(dir);
      KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      KeyFiles.writePrivate(secret, encodePrivate(pair.getPrivate()) + "\n");
      Files.writeString(pub, encode(pair.getPublic()) + "\n", StandardCharsets.UTF_8);
      return pair;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the order key " + secret, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this Java has no Ed25519: " + e.getMessage(), e);
    }
  }

  /** The public key as Base64 of its 32 raw bytes. */
  public static String encode(PublicKey key) {
    return Base64.getEncoder().encodeToString(raw(key));
  }

  /**
   * The key's 32 raw bytes (RFC 8032): the public key's encoding, or the private key's seed. Both
   * are the last 32 bytes of the JDK's X.509 or PKCS#8 encoding.
   */
  public static byte[] raw(Key key) {
    byte[] der = key.getEncoded();
    return Arrays.copyOfRange(der, der.length - RAW_LENGTH, der.length);
  }

  /** A public key from Base64 of its 32 raw bytes. */
  public static PublicKey publicKey(byte[] raw) {
    if (raw.length != RAW_LENGTH) {
      throw new IllegalArgumentException(
          "an Ed25519 public key has " + RAW_LENGTH + " bytes, got " + raw.length);
    }
    try {
      return KeyFactory.getInstance("Ed25519")
          .generatePublic(new X509EncodedKeySpec(concat(X509_PREFIX, raw)));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an Ed25519 public key: " + e.getMessage(), e);
    }
  }

  /** A private key from its 32-byte seed (RFC 8032). */
  public static PrivateKey privateKey(byte[] seed) {
    if (seed.length != RAW_LENGTH) {
      throw new IllegalArgumentException(
          "an Ed25519 private key has " + RAW_LENGTH + " bytes, got " + seed.length);
    }
    try {
      return KeyFactory.getInstance("Ed25519")
          .generatePrivate(new PKCS8EncodedKeySpec(concat(PKCS8_PREFIX, seed)));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an Ed25519 private key: " + e.getMessage(), e);
    }
  }

  /**
   * Reads a public key given as Base64 text, or as the path of a file holding it (its first line).
   *
   * @throws IllegalArgumentException saying what is expected
   */
  public static PublicKey parse(String textOrFile) {
    String text = textOrFile.trim();
    Path file = asFile(text);
    if (file != null) {
      try {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        text = lines.isEmpty() ? "" : lines.get(0).trim();
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "expected a readable key file (cannot read " + file + ": " + e.getMessage() + ")");
      }
    }
    try {
      return publicKey(Base64.getDecoder().decode(text));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "expected the master's order key: Base64 of a 32-byte Ed25519 public key (the last line"
              + " of 'mschedule master key --order'), or a file holding it");
    }
  }

  private static KeyPair read(Path secret, Path pub) throws IOException {
    if (!Files.exists(pub)) {
      throw new IllegalStateException(pub + " is missing next to " + secret);
    }
    try {
      byte[] seed = Base64.getDecoder().decode(Files.readString(secret).trim());
      byte[] raw = Base64.getDecoder().decode(Files.readString(pub).trim());
      return new KeyPair(publicKey(raw), privateKey(seed));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          secret + " / " + pub + ": not an Ed25519 order key pair (" + e.getMessage() + ")");
    }
  }

  private static String encodePrivate(PrivateKey key) {
    return Base64.getEncoder().encodeToString(raw(key));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static Path asFile(String text) {
    try {
      Path p = Path.of(text);
      return Files.isRegularFile(p) && Files.isReadable(p) ? p : null;
    } catch (InvalidPathException e) {
      return null;
    }
  }
}
