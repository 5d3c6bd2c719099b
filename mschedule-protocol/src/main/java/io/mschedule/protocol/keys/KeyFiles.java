package io.mschedule.protocol.keys;

import io.mschedule.protocol.zerorpc.CurveKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A long-term CURVE key pair kept in a data directory: {@code NAME.key} (the secret key, mode 0600)
 * and {@code NAME.pub} (the public key), both as Z85 text. Created on first use.
 */
public final class KeyFiles {
  private KeyFiles() {}

  public static CurveKeys.KeyPair loadOrCreate(Path dir, String name) {
    Path secret = dir.resolve(name + ".key");
    Path pub = dir.resolve(name + ".pub");
    try {
      if (Files.exists(secret)) {
        return read(secret, pub);
      }
      Files.createDirectories(dir);
      CurveKeys.KeyPair pair = CurveKeys.generate();
      writePrivate(secret, CurveKeys.encodeZ85(pair.secretKey()) + "\n");
      Files.writeString(pub, CurveKeys.encodeZ85(pair.publicKey()) + "\n", StandardCharsets.UTF_8);
      return pair;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the key pair " + secret, e);
    }
  }

  /** The public key of an existing pair, as Z85 text. */
  public static String publicKeyText(Path dir, String name) {
    return CurveKeys.encodeZ85(loadOrCreate(dir, name).publicKey());
  }

  private static CurveKeys.KeyPair read(Path secret, Path pub) throws IOException {
    byte[] secretKey = decode(secret, Files.readString(secret, StandardCharsets.UTF_8).trim());
    byte[] publicKey;
    if (Files.exists(pub)) {
      publicKey = decode(pub, Files.readString(pub, StandardCharsets.UTF_8).trim());
    } else {
      throw new IllegalStateException(pub + " is missing next to " + secret);
    }
    return new CurveKeys.KeyPair(publicKey, secretKey);
  }

  private static byte[] decode(Path file, String text) {
    try {
      return CurveKeys.decodeZ85(text);
    } catch (RuntimeException e) {
      throw new IllegalStateException(file + ": not a Z85 CURVE key (" + e.getMessage() + ")");
    }
  }

  /** Writes a file readable by its owner only (0600), atomically. */
  public static void writePrivate(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(tmp);
    } catch (FileAlreadyExistsException e) {
      throw e;
    }
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Reads a key given as Z85 text, or as the path of a file holding it.
   *
   * @throws IllegalArgumentException saying what is expected
   */
  public static byte[] parseKey(String textOrFile) {
    String text = textOrFile.trim();
    Path p = asFile(text);
    if (p != null) {
      try {
        List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
        text = lines.isEmpty() ? "" : lines.get(0).trim();
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "expected a readable key file (cannot read " + p + ": " + e.getMessage() + ")");
      }
    }
    try {
      return CurveKeys.decodeZ85(text);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "expected a 40-character Z85 CURVE public key, or a file holding one");
    }
  }

  /** The regular file named by {@code text}, or null when there is none (then it is a key). */
  private static Path asFile(String text) {
    try {
      Path p = Path.of(text);
      return Files.isRegularFile(p) && Files.isReadable(p) ? p : null;
    } catch (java.nio.file.InvalidPathException e) {
      return null;
    }
  }
}
