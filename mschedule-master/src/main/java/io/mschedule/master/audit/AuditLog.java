package io.mschedule.master.audit;

import io.mschedule.master.store.AuditEntry;

/**
 * Records who did what: task submissions and kills, key decisions, token changes, failed logins.
 */
public interface AuditLog {
  /** Discards everything (tests and embedded uses without auditing). */
  AuditLog NONE = (actor, action, target, detail) -> {};

  /**
   * @param actor who acted (a token name, or "anonymous"/"system")
   * @param action a dotted verb such as {@code task.submit}, {@code key.accept}
   * @param target what it acted on (a task id, an agent id, a token id), or null
   * @param detail more, e.g. the script's SHA-256; never a secret
   */
  void record(String actor, String action, String target, String detail);

  /**
   * The entry {@link #record} would store, for a write that stores it in its own transaction (a
   * task's submission is audited in the transaction that stores the task); the writer calls {@link
   * #stored} once that transaction committed. An audit log that keeps its entries elsewhere records
   * it at once and returns null.
   */
  default AuditEntry entry(String actor, String action, String target, String detail) {
    record(actor, action, target, detail);
    return null;
  }

  /**
   * An entry made by {@link #entry} was stored with the write it audits: an audit log that also
   * writes its entries to the log file writes it now, so the file never names what did not happen.
   */
  default void stored(AuditEntry entry) {}
}
