package io.mschedule.master.files;

import io.mschedule.master.store.FileBlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * File contents on the master's disk, by SHA-256: {@code <dir>/ab/abcd…}. Uploads stream to a
 * temporary file while they are hashed, then move into place; reads take a piece at a time, so
 * neither ever holds a whole file in memory. Paths are built here from a checked hash only, so no
 * caller can name another file.
 */
public final class FileStore {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final int BUFFER = 64 * 1024;

  private final Path dir;
  private final FileBlobStore shared;

  /** A store of this master's own. */
  public FileStore(Path dir) {
    this(dir, null);
  }

  /**
   * A store whose contents are also kept in {@code shared} (the database masters share; null:
   * none), so each master can serve a file another master took: uploads are copied there, and a
   * content missing here is copied from there on its first read.
   */
  public FileStore(Path dir, FileBlobStore shared) {
    this.dir = dir;
    this.shared = shared;
  }

  /** What an upload stored. */
  public record Stored(String sha256, long size) {}

  /** True when {@code s} is a SHA-256 in lower-case hex, the only form the store accepts. */
  public static boolean isSha256(String s) {
    return s != null && SHA256.matcher(s).matches();
  }

  /**
   * Copies {@code in} to the store until it ends.
   *
   * @param maxBytes the upload is refused (and nothing kept) once it passes this many bytes
   * @throws TooLargeException when it does
   */
  public Stored put(InputStream in, long maxBytes) throws IOException {
    Stored stored = putLocally(in, maxBytes);
    if (shared != null) {
      shared.put(stored.sha256(), path(stored.sha256()));
    }
    return stored;
  }

  private Stored putLocally(InputStream in, long maxBytes) throws IOException {
    Path tmpDir = Files.createDirectories(dir.resolve("tmp"));
    Path tmp = Files.createTempFile(tmpDir, "upload-", ".part");
    try {
      MessageDigest digest = sha256();
      long size = 0;
      try (OutputStream out =
          new DigestOutputStream(Files.newOutputStream(tmp, StandardOpenOption.WRITE), digest)) {
        byte[] buffer = new byte[BUFFER];
        int n;
        while ((n = in.read(buffer)) >= 0) {
          size += n;
          if (size > maxBytes) {
            throw new TooLargeException(maxBytes);
          }
          out.write(buffer, 0, n);
        }
      }
      String sha = HexFormat.of().formatHex(digest.digest());
      Path target = path(sha);
      Files.createDirectories(target.getParent());
      if (Files.exists(target) && Files.size(target) == size) {
        return new Stored(sha, size); // the same content is there already
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException e) {
        // stored by a concurrent upload of the same content
      }
      return new Stored(sha, size);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** True when the content is in the store (here, or in the shared copy). */
  public boolean has(String sha256) {
    if (!isSha256(sha256)) {
      return false;
    }
    if (Files.isRegularFile(path(sha256))) {
      return true;
    }
    return shared != null && shared.has(sha256);
  }

  /** Copies a content this master does not have from the shared copy, when that has it. */
  private synchronized void fetchShared(String sha256) throws IOException {
    if (Files.isRegularFile(path(sha256)) || shared == null) {
      return; // fetched meanwhile, or nowhere to fetch from
    }
    Optional<InputStream> in = shared.open(sha256);
    if (in.isEmpty()) {
      return;
    }
    Stored got;
    try (InputStream body = in.get()) {
      got = putLocally(body, Long.MAX_VALUE);
    }
    if (!got.sha256().equals(sha256)) {
      Files.deleteIfExists(path(got.sha256()));
      throw new IOException("the database's copy of file " + sha256 + " does not match its hash");
    }
  }

  /** The size of a stored content. */
  public long size(String sha256) throws IOException {
    return Files.size(path(sha256));
  }

  /**
   * Up to {@code length} bytes from {@code offset}; fewer at the end of the file, none past it.
   *
   * @throws java.nio.file.NoSuchFileException when the content is not stored
   */
  public byte[] read(String sha256, long offset, int length) throws IOException {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("offset and length must not be negative");
    }
    if (!Files.isRegularFile(path(sha256))) {
      fetchShared(sha256); // when it is not there either, the open below says so
    }
    try (FileChannel ch = FileChannel.open(path(sha256), StandardOpenOption.READ)) {
      long left = Math.max(0, ch.size() - offset);
      ByteBuffer buf = ByteBuffer.allocate((int) Math.min(length, left));
      while (buf.hasRemaining()) {
        if (ch.read(buf, offset + buf.position()) < 0) {
          break;
        }
      }
      return buf.position() == buf.capacity()
          ? buf.array()
          : java.util.Arrays.copyOf(buf.array(), buf.position());
    }
  }

  /** Where a content lives; the hash is checked first. */
  Path path(String sha256) {
    if (!isSha256(sha256)) {
      throw new IllegalArgumentException("not a SHA-256 in lower-case hex: " + sha256);
    }
    return dir.resolve(sha256.substring(0, 2)).resolve(sha256);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new UncheckedIOException(new IOException("SHA-256 is not available", e));
    }
  }

  /** An upload larger than allowed. */
  public static final class TooLargeException extends IOException {
    TooLargeException(long max) {
      super("the file is larger than the limit of " + max + " bytes");
    }
  }
}
