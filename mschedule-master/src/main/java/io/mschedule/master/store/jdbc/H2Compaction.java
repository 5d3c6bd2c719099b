package io.mschedule.master.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;

/**
 * Keeps the embedded H2 file compact while the master runs. With {@code WRITE_DELAY=0} (every
 * commit written at once, see {@link Database#embeddedUrl}) H2 runs no background writer, and the
 * background writer is what rewrites H2's sparse chunks: every commit writes a chunk of its own,
 * most of a chunk's pages are replaced by later commits, and the page or two still live pin the
 * whole chunk, on disk and (its metadata) in the heap. Left alone, 70,000 one-run tasks left
 * ~16,000 such chunks behind, 69 MB live in 1.77 GB of chunks. One {@link #compact} rewrites the
 * live pages of at most {@link #WRITE_LIMIT} bytes of the sparsest chunks older than H2's retention
 * time into a new chunk; the old chunks then hold nothing live and H2 reuses their space after the
 * retention time, as it does with its background writer.
 */
public final class H2Compaction {
  /** Chunks are rewritten while the live share of all chunks is below this (percent). */
  static final int TARGET_FILL_RATE = 90;

  /** The most live data one pass rewrites, in bytes. */
  static final int WRITE_LIMIT = 1 << 20;

  private final DataSource dataSource;

  public H2Compaction(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Rewrites the live pages of sparse chunks and commits them.
   *
   * @return true when a chunk was rewritten
   */
  public boolean compact() {
    try (Connection c = dataSource.getConnection()) {
      MVStore store = store(c);
      if (store == null || !store.compact(TARGET_FILL_RATE, WRITE_LIMIT)) {
        return false;
      }
      store.commit();
      return true;
    } catch (SQLException e) {
      throw new StoreException("compacting the H2 file", e);
    }
  }

  /** The store behind an embedded connection; null for a connection to an H2 server. */
  private static MVStore store(Connection c) throws SQLException {
    return c.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session
        ? session.getDatabase().getStore().getMvStore()
        : null;
  }
}
