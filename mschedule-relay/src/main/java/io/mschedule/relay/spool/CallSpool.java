package io.mschedule.relay.spool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agents' calls (results) the relay acknowledged but could not hand to the master yet, one file
 * each in {@code <data-dir>/spool/}, written durably (fsync of the file and the directory) before
 * the agent is acknowledged. Bounded: a call that would take the spool past {@code maxBytes} is not
 * taken, so the agent keeps it in its own spool. Files are named by a growing number and replayed
 * in that order.
 */
public final class CallSpool {
  private static final Logger log = LoggerFactory.getLogger(CallSpool.class);
  private static final String SUFFIX = ".call";
  private static final String TEMP = ".tmp-";

  /** One spooled call. */
  public record Entry(Path file, long size) {
    public byte[] read() {
      try {
        return Files.readAllBytes(file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private final Path dir;
  private final long maxBytes;
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong next = new AtomicLong();

  public CallSpool(Path dir, long maxBytes) {
    this.dir = dir;
    this.maxBytes = maxBytes;
    try {
      Files.createDirectories(dir);
      try (Stream<Path> files = Files.list(dir)) {
        for (Path p : files.toList()) {
          String name = p.getFileName().toString();
          if (name.startsWith(TEMP)) {
            Files.deleteIfExists(p); // a write the relay did not finish: never acknowledged
          } else if (name.endsWith(SUFFIX)) {
            bytes.addAndGet(Files.size(p));
            next.accumulateAndGet(number(name) + 1, Math::max);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the relay spool " + dir, e);
    }
  }

  /**
   * Writes {@code call} durably; false when it does not fit under the bound or the disk refused it
   * (then nothing was kept).
   */
  public boolean offer(byte[] call) {
    long after = bytes.addAndGet(call.length);
    if (after > maxBytes) {
      bytes.addAndGet(-call.length);
      return false;
    }
    Path target = dir.resolve(String.format("%020d", next.getAndIncrement()) + SUFFIX);
    Path tmp = dir.resolve(TEMP + target.getFileName());
    try {
      try (FileChannel ch =
          FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer b = ByteBuffer.wrap(call);
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      syncDirectory();
      return true;
    } catch (IOException e) {
      bytes.addAndGet(-call.length);
      log.warn("cannot spool a result in {}: {}", dir, e.toString());
      try {
        Files.deleteIfExists(tmp);
        Files.deleteIfExists(target);
      } catch (IOException ignored) {
        // nothing more to do
      }
      return false;
    }
  }

  /** The spooled calls, oldest first (at most {@code limit}). */
  public List<Entry> oldest(int limit) {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> sorted =
          files.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
      List<Entry> out = new ArrayList<>();
      for (Path p : sorted) {
        if (out.size() >= limit) {
          break;
        }
        try {
          out.add(new Entry(p, Files.size(p)));
        } catch (IOException e) {
          // removed meanwhile
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Forgets a call the master answered. */
  public void remove(Entry e) {
    try {
      if (Files.deleteIfExists(e.file())) {
        bytes.addAndGet(-e.size());
      }
    } catch (IOException ex) {
      log.warn("cannot remove {} from the relay spool: {}", e.file(), ex.toString());
    }
  }

  /** Bytes held now. */
  public long bytes() {
    return bytes.get();
  }

  private void syncDirectory() {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // some file systems cannot sync a directory; the rename is still atomic
    }
  }

  private static long number(String name) {
    try {
      return Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
