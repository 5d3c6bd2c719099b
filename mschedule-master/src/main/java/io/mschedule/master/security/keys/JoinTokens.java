package io.mschedule.master.security.keys;

import io.mschedule.protocol.keys.KeyFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Join tokens: an agent that presents a valid one in its {@code register} payload is accepted
 * without an operator's decision. Kept hashed (SHA-256) with their creation, expiry and creator in
 * {@code <data-dir>/join-tokens} (mode 0600), so {@code mschedule master token create|list|revoke}
 * work on the data directory while the master runs; the master reads the file again whenever it
 * changed (its inode, size or modification time), so a revocation holds for the next agent that
 * registers. A token's id is the start of its hash: not secret, and enough to name it.
 */
public final class JoinTokens {
  public static final String FILE = "join-tokens";
  public static final String PREFIX = "msj_";

  /** The longest a join token may be valid for. */
  public static final Duration MAX_TTL = Duration.ofDays(365);

  /** How many hex digits of the hash make the id. */
  static final int ID_LENGTH = 12;

  private static final Pattern ACTOR = Pattern.compile("[A-Za-z0-9._@-]{1,100}");

  /**
   * A join token as listed, without its value.
   *
   * @param createdAt null for a token written by an older version
   * @param createdBy a token name, or {@code local} for {@code mschedule master token create}
   */
  public record JoinToken(String id, Instant createdAt, Instant expiresAt, String createdBy) {
    public boolean expired(Instant now) {
      return !now.isBefore(expiresAt);
    }
  }

  /** A new token and its value, which is shown to its creator once. */
  public record Created(JoinToken token, String value) {}

  private final Path file;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  /** The entries last read by {@link #valid}, and the file's attributes before that read. */
  private record Snapshot(Object fileKey, FileTime modified, long size, List<Entry> entries) {
    boolean sameFile(BasicFileAttributes a) {
      return Objects.equals(fileKey, a.fileKey())
          && modified.equals(a.lastModifiedTime())
          && size == a.size();
    }
  }

  private volatile Snapshot snapshot;

  private record Entry(String hash, long expiresAt, long createdAt, String createdBy) {
    JoinToken view() {
      return new JoinToken(
          hash.substring(0, ID_LENGTH),
          createdAt < 0 ? null : Instant.ofEpochMilli(createdAt),
          Instant.ofEpochMilli(expiresAt),
          createdBy);
    }

    String line() {
      return hash + ' ' + expiresAt + ' ' + createdAt + ' ' + (createdBy == null ? "-" : createdBy);
    }
  }

  public JoinTokens(Path dataDir, Clock clock) {
    this.file = dataDir.resolve(FILE);
    this.clock = clock;
  }

  /** Creates a token valid for {@code ttl}; returns its value (shown once, stored hashed). */
  public String create(Duration ttl) {
    return create(ttl, "local").value();
  }

  /**
   * Creates a token valid for {@code ttl}, made by {@code createdBy}. Expired tokens are dropped
   * from the file.
   *
   * @throws IllegalArgumentException for a ttl that is not positive or longer than {@link #MAX_TTL}
   */
  public Created create(Duration ttl, String createdBy) {
    if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
      throw new IllegalArgumentException(
          "ttl: must be 1 second to " + MAX_TTL.toDays() + " days, got " + ttl.toSeconds() + "s");
    }
    String by = createdBy != null && ACTOR.matcher(createdBy).matches() ? createdBy : "-";
    byte[] raw = new byte[32];
    random.nextBytes(raw);
    String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    long now = clock.millis();
    Entry created = new Entry(hash(token), now + ttl.toMillis(), now, by);
    withLock(
        () -> {
          List<Entry> entries = new ArrayList<>();
          for (Entry e : read()) {
            if (e.expiresAt() > now) {
              entries.add(e);
            }
          }
          entries.add(created);
          write(entries);
          return null;
        });
    return new Created(created.view(), token);
  }

  /** Every token in the file, valid or expired (until the next creation drops it), oldest first. */
  public List<JoinToken> list() {
    return withLock(() -> read().stream().map(Entry::view).toList());
  }

  /**
   * Revokes a token: agents presenting it are no longer accepted by it (agents it let in stay).
   *
   * @param id the id as listed, or a unique prefix of at least 4 characters
   * @return the revoked token; empty when no token has this id
   * @throws IllegalArgumentException when the prefix is too short or names several tokens
   */
  public Optional<JoinToken> revoke(String id) {
    String want = id == null ? "" : id.strip().toLowerCase(java.util.Locale.ROOT);
    if (want.length() < 4) {
      throw new IllegalArgumentException(
          "join token id: give at least 4 characters of the id, got '" + id + "'");
    }
    return withLock(
        () -> {
          List<Entry> all = read();
          List<Entry> matching = all.stream().filter(e -> e.view().id().startsWith(want)).toList();
          if (matching.isEmpty()) {
            return Optional.empty();
          }
          if (matching.size() > 1) {
            throw new IllegalArgumentException(
                "join token id '"
                    + id
                    + "' matches "
                    + matching.size()
                    + " tokens: "
                    + String.join(", ", matching.stream().map(e -> e.view().id()).toList())
                    + "; give more of it");
          }
          List<Entry> kept = new ArrayList<>(all);
          kept.remove(matching.get(0));
          write(kept);
          return Optional.of(matching.get(0).view());
        });
  }

  /** True when {@code token} was created here, is not revoked and has not expired. */
  public boolean valid(String token) {
    if (token == null || !token.startsWith(PREFIX)) {
      return false;
    }
    String h = hash(token);
    long now = clock.millis();
    for (Entry e : current()) {
      if (e.hash().equals(h) && e.expiresAt() > now) {
        return true;
      }
    }
    return false;
  }

  /** The entries of the file, read again only when its inode, size or modification time moved. */
  private List<Entry> current() {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot use " + file, e);
    }
    Snapshot s = snapshot;
    if (s != null && s.sameFile(a)) {
      return s.entries();
    }
    // attributes taken before the read: a change during the read makes the next call read again
    List<Entry> entries = withLock(this::read);
    snapshot = new Snapshot(a.fileKey(), a.lastModifiedTime(), a.size(), entries);
    return entries;
  }

  private void write(List<Entry> entries) throws IOException {
    StringBuilder out =
        new StringBuilder("# sha256 expires-at-epoch-ms created-at-epoch-ms created-by\n");
    for (Entry e : entries) {
      out.append(e.line()).append('\n');
    }
    KeyFiles.writePrivate(file, out.toString());
  }

  private List<Entry> read() throws IOException {
    List<Entry> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String[] parts = line.trim().split("\\s+");
      if (line.startsWith("#") || parts.length < 2 || parts[0].length() < ID_LENGTH) {
        continue;
      }
      try {
        long expires = Long.parseLong(parts[1]);
        long created = parts.length > 2 ? Long.parseLong(parts[2]) : -1; // older files: 2 fields
        String by = parts.length > 3 && !parts[3].equals("-") ? parts[3] : null;
        out.add(new Entry(parts[0], expires, created, by));
      } catch (NumberFormatException e) {
        // a damaged line is ignored
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
