package io.mschedule.master.store;

import java.time.Instant;
import java.util.List;

/** Where the audit log is kept. */
public interface AuditStore {
  default void append(Instant at, String actor, String action, String target, String detail) {
    appendAll(List.of(new AuditEntry(0, at, actor, action, target, detail)));
  }

  /** Appends entries (their ids are ignored: the store numbers them) in one transaction. */
  void appendAll(List<AuditEntry> entries);

  /** The newest {@code limit} entries, newest first. */
  default List<AuditEntry> recent(int limit) {
    return find(AuditQuery.recent(limit));
  }

  /** The entries that match {@code query}, newest first. */
  List<AuditEntry> find(AuditQuery query);

  /**
   * Deletes up to {@code batch} entries written before {@code cutoff}, oldest first; returns how
   * many: below {@code batch} when no more are due.
   */
  int purgeBefore(Instant cutoff, int batch);
}
