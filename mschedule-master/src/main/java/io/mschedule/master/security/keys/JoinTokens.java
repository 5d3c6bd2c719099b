package io.mschedule.master.security.keys;

import io.mschedule.protocol.keys.KeyFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Join tokens: an agent that presents a valid one in its {@code register} payload is accepted
 * without an operator's decision. Kept hashed (SHA-256) with their expiry in {@code
 * <data-dir>/join-tokens} (mode 0600), so {@code mschedule master token create} can add one while
 * the master runs; the master reads the file at each use.
 */
public final class JoinTokens {
  public static final String FILE = "join-tokens";
  public static final String PREFIX = "msj_";

  private final Path file;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  private record Entry(String hash, long expiresAt) {}

  public JoinTokens(Path dataDir, Clock clock) {
    this.file = dataDir.resolve(FILE);
    this.clock = clock;
  }

  /** Creates a token valid for {@code ttl}; returns its value (shown once, stored hashed). */
  public String create(Duration ttl) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("--ttl: must be positive, got " + ttl);
    }
    byte[] raw = new byte[32];
    random.nextBytes(raw);
    String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    long now = clock.millis();
    withLock(
        () -> {
          List<Entry> entries = new ArrayList<>();
          for (Entry e : read()) {
            if (e.expiresAt() > now) {
              entries.add(e);
            }
          }
          entries.add(new Entry(hash(token), now + ttl.toMillis()));
          StringBuilder out = new StringBuilder("# sha256 expires-at-epoch-ms\n");
          for (Entry e : entries) {
            out.append(e.hash()).append(' ').append(e.expiresAt()).append('\n');
          }
          KeyFiles.writePrivate(file, out.toString());
          return null;
        });
    return token;
  }

  /** True when {@code token} was created here and has not expired. */
  public boolean valid(String token) {
    if (token == null || !token.startsWith(PREFIX)) {
      return false;
    }
    String h = hash(token);
    long now = clock.millis();
    return withLock(
        () -> {
          for (Entry e : read()) {
            if (e.hash().equals(h) && e.expiresAt() > now) {
              return true;
            }
          }
          return false;
        });
  }

  private List<Entry> read() throws IOException {
    List<Entry> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String[] parts = line.trim().split("\\s+");
      if (parts.length == 2 && !line.startsWith("#")) {
        try {
          out.add(new Entry(parts[0], Long.parseLong(parts[1])));
        } catch (NumberFormatException e) {
          // a damaged line is ignored
        }
      }
    }
    return out;
  }

  private interface Locked<T> {
    T run() throws IOException;
  }

  private synchronized <T> T withLock(Locked<T> work) {
    Path lockFile = file.resolveSibling(FILE + ".lock");
    try {
      Files.createDirectories(file.getParent());
      try (FileChannel ch =
              FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = ch.lock()) {
        return work.run();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot use " + file, e);
    }
  }

  static String hash(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
