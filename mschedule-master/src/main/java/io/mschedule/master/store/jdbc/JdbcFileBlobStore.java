package io.mschedule.master.store.jdbc;

import io.mschedule.master.store.FileBlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** {@link FileBlobStore} over table {@code file_chunks}: 1 MiB a row. */
final class JdbcFileBlobStore implements FileBlobStore {
  static final int CHUNK = 1 << 20;

  private final JdbcRunner jdbc;

  JdbcFileBlobStore(JdbcRunner jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void put(String sha256, Path file) throws IOException {
    if (has(sha256)) {
      return;
    }
    try (InputStream in = Files.newInputStream(file)) {
      jdbc.inTransaction(
          s -> {
            int seq = 0;
            byte[] chunk;
            do {
              chunk = readChunk(in);
              int n = seq++;
              byte[] data = chunk;
              s.update(
                  "INSERT INTO file_chunks (sha256, seq, data) VALUES (?, ?, ?)",
                  ps -> {
                    ps.setString(1, sha256);
                    ps.setInt(2, n);
                    ps.setBytes(3, data);
                  });
            } while (chunk.length == CHUNK);
            return null;
          });
    } catch (StoreException e) {
      if (!StoreException.isUniqueViolation(e)) { // stored meanwhile by another master
        throw e;
      }
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static byte[] readChunk(InputStream in) {
    try {
      return in.readNBytes(CHUNK);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public boolean has(String sha256) {
    return jdbc.queryOne(
            "SELECT 1 FROM file_chunks WHERE sha256 = ? AND seq = 0",
            ps -> ps.setString(1, sha256),
            rs -> Boolean.TRUE)
        .isPresent();
  }

  private Optional<byte[]> chunk(String sha256, int seq) {
    return jdbc.queryOne(
        "SELECT data FROM file_chunks WHERE sha256 = ? AND seq = ?",
        ps -> {
          ps.setString(1, sha256);
          ps.setInt(2, seq);
        },
        rs -> rs.getBytes(1));
  }

  @Override
  public Optional<InputStream> open(String sha256) {
    Optional<byte[]> first = chunk(sha256, 0);
    if (first.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new InputStream() {
          private int seq;
          private ByteArrayInputStream current = new ByteArrayInputStream(first.get());
          private boolean last = first.get().length < CHUNK;

          @Override
          public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            while (current.available() == 0) {
              if (last) {
                return -1;
              }
              byte[] next;
              try {
                next = chunk(sha256, ++seq).orElse(new byte[0]);
              } catch (StoreException e) {
                throw new IOException("cannot read file " + sha256 + " from the database", e);
              }
              current = new ByteArrayInputStream(next);
              last = next.length < CHUNK;
            }
            return current.read(b, off, len);
          }
        });
  }
}
