package io.mschedule.agent.files;

import io.mschedule.protocol.message.FileOrder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Puts files on this host: fetches a file piece by piece (a few pieces in flight, so memory stays
 * bounded whatever the file's size) into a temporary file in the destination's directory, checks
 * its size and SHA-256, sets its mode and owner, then renames it into place. A destination that
 * already holds the same content is left as it is.
 */
public final class FileReceiver {
  /**
   * The size of one piece: 256 KiB (the master serves up to 1 MiB per call). Small pieces keep the
   * connection's queue short, so heartbeats and orders on it are not held up behind a file.
   */
  public static final int CHUNK = 256 << 10;

  /** Pieces in flight at once. */
  static final int WINDOW = 2;

  /** Attempts per piece when the connection fails (a refusal is never retried). */
  static final int ATTEMPTS = 5;

  /** The mode of a copied file when the order gives none. */
  public static final String DEFAULT_MODE = "0644";

  /** How a file ended up. */
  public enum Outcome {
    COPIED("copied"),
    UNCHANGED("unchanged");

    public final String word;

    Outcome(String word) {
      this.word = word;
    }
  }

  private final ChunkSource source;
  private final Duration pieceTimeout;

  /**
   * @param pieceTimeout how long to wait for one piece before asking again
   */
  public FileReceiver(ChunkSource source, Duration pieceTimeout) {
    this.source = source;
    this.pieceTimeout = pieceTimeout;
  }

  /**
   * Puts {@code file} at {@code dest} (an absolute path whose directory exists).
   *
   * @param stop true once the run is asked to stop: the transfer ends with {@link
   *     FileCancelledException}
   */
  public Outcome place(String taskId, FileOrder file, Path dest, BooleanSupplier stop)
      throws IOException, InterruptedException {
    String mode = file.mode() == null ? DEFAULT_MODE : file.mode();
    if (holdsSame(dest, file)) {
      finish(dest, mode, file.owner());
      return Outcome.UNCHANGED;
    }
    Path dir = dest.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new IOException("directory " + dir + " does not exist");
    }
    if (Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(dest + " is a directory");
    }
    Path tmp = fetchInto(taskId, file, dir, "." + dest.getFileName() + ".", stop);
    try {
      finish(tmp, mode, file.owner());
      try {
        Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, dest, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
    return Outcome.COPIED;
  }

  /**
   * Fetches {@code file} into a new temporary file in {@code dir} (name starting with {@code
   * prefix}), checked against its size and SHA-256, with the order's mode. The caller moves or
   * deletes it.
   */
  public Path fetchInto(
      String taskId, FileOrder file, Path dir, String prefix, BooleanSupplier stop)
      throws IOException, InterruptedException {
    Path tmp = Files.createTempFile(dir, prefix, ".mschedule-part");
    boolean ok = false;
    try {
      MessageDigest digest = sha256();
      try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        download(taskId, file, out, digest, stop);
        out.force(true);
      }
      String got = HexFormat.of().formatHex(digest.digest());
      if (!got.equals(file.sha256())) {
        throw new IOException(
            "the content received has SHA-256 " + got + ", the order says " + file.sha256());
      }
      if (file.mode() != null) {
        Files.setPosixFilePermissions(tmp, FileModes.parse(file.mode()));
      }
      ok = true;
      return tmp;
    } finally {
      if (!ok) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  private void download(
      String taskId, FileOrder file, FileChannel out, MessageDigest digest, BooleanSupplier stop)
      throws IOException, InterruptedException {
    long size = file.size();
    Deque<Piece> inFlight = new ArrayDeque<>();
    long next = 0;
    long written = 0;
    while (written < size) {
      while (inFlight.size() < WINDOW && next < size) {
        int length = (int) Math.min(CHUNK, size - next);
        inFlight.add(new Piece(next, length, source.fetch(taskId, file.sha256(), next, length)));
        next += length;
      }
      Piece piece = inFlight.poll();
      byte[] data = await(taskId, file.sha256(), piece, stop);
      if (data.length != piece.length) {
        throw new IOException(
            "the master sent "
                + data.length
                + " bytes at offset "
                + piece.offset
                + " instead of "
                + piece.length
                + " (is the stored file shorter than "
                + size
                + " bytes?)");
      }
      digest.update(data);
      ByteBuffer buf = ByteBuffer.wrap(data);
      while (buf.hasRemaining()) {
        out.write(buf);
      }
      written += data.length;
    }
  }

  private record Piece(long offset, int length, CompletableFuture<byte[]> future) {}

  private byte[] await(String taskId, String sha256, Piece piece, BooleanSupplier stop)
      throws IOException, InterruptedException {
    CompletableFuture<byte[]> future = piece.future;
    for (int attempt = 1; ; attempt++) {
      try {
        return waitFor(future, stop);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof FetchRefusedException) {
          throw new IOException("the master refused the file: " + cause.getMessage(), cause);
        }
        if (attempt >= ATTEMPTS) {
          throw new IOException(
              "cannot fetch the file from the master ("
                  + attempt
                  + " attempts at offset "
                  + piece.offset
                  + "): "
                  + cause,
              cause);
        }
      } catch (TimeoutException e) {
        future.cancel(true);
        if (attempt >= ATTEMPTS) {
          throw new IOException(
              "no answer from the master for the piece at offset " + piece.offset, e);
        }
      }
      future = source.fetch(taskId, sha256, piece.offset, piece.length);
    }
  }

  /** The piece, checking {@code stop} while it comes. */
  private byte[] waitFor(CompletableFuture<byte[]> future, BooleanSupplier stop)
      throws ExecutionException, TimeoutException, InterruptedException, FileCancelledException {
    long end = System.nanoTime() + pieceTimeout.toNanos();
    while (true) {
      if (stop.getAsBoolean()) {
        future.cancel(true);
        throw new FileCancelledException();
      }
      long left = end - System.nanoTime();
      if (left <= 0) {
        throw new TimeoutException();
      }
      try {
        return future.get(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        // look at stop again
      }
    }
  }

  /** True when {@code dest} is a regular file with the order's size and SHA-256. */
  static boolean holdsSame(Path dest, FileOrder file) throws IOException {
    if (!Files.isRegularFile(dest, LinkOption.NOFOLLOW_LINKS) || Files.size(dest) != file.size()) {
      return false;
    }
    MessageDigest digest = sha256();
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(dest)) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest()).equals(file.sha256());
  }

  private static void finish(Path file, String mode, String owner) throws IOException {
    Files.setPosixFilePermissions(file, FileModes.parse(mode));
    if (owner != null) {
      FileModes.chown(file, owner);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
