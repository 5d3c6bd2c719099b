package io.mschedule.master.security;

import io.mschedule.master.audit.AuditLog;
import io.mschedule.master.store.AuditEntry;
import io.mschedule.master.store.AuditQuery;
import io.mschedule.master.store.AuditStore;
import io.mschedule.master.store.GroupCommit;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log in the database, also written to the log (logger {@code mschedule.audit}). A
 * failure to store an entry is logged and does not undo what was audited. {@link #record} returns
 * once its entry is stored; entries recorded at the same time by several threads are stored in one
 * transaction (group commit), written by the first of those threads.
 */
public final class DbAuditLog implements AuditLog {
  static final int MAX_ACTOR = 255;
  static final int MAX_ACTION = 64;
  static final int MAX_TARGET = 255;
  static final int MAX_DETAIL = 1000;
  private static final Logger log = LoggerFactory.getLogger("mschedule.audit");

  /** The most entries stored in one transaction. */
  static final int MAX_BATCH = 500;

  private record Pending(AuditEntry entry, CompletableFuture<Void> stored) {}

  private final AuditStore store;
  private final Clock clock;
  private final GroupCommit<Pending> commits = new GroupCommit<>(MAX_BATCH, this::write);

  public DbAuditLog(AuditStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  @Override
  public void record(String actor, String action, String target, String detail) {
    AuditEntry e = entry(actor, action, target, detail);
    logLine(e);
    Pending p = new Pending(e, new CompletableFuture<>());
    commits.add(p);
    p.stored().join(); // stored (or its failure logged) by this thread or the one writing
  }

  /** Not written to the log file until {@link #stored}: the write it audits may still fail. */
  @Override
  public AuditEntry entry(String actor, String action, String target, String detail) {
    String a = clip(actor == null ? TokenService.ANONYMOUS : actor, MAX_ACTOR);
    String act = clip(action, MAX_ACTION);
    String t = clip(target, MAX_TARGET);
    String d = clip(detail, MAX_DETAIL);
    return new AuditEntry(0, clock.instant().truncatedTo(ChronoUnit.MILLIS), a, act, t, d);
  }

  @Override
  public void stored(AuditEntry entry) {
    logLine(entry);
  }

  private static void logLine(AuditEntry e) {
    log.info(
        "{} {} {}{}",
        e.actor(),
        e.action(),
        e.target() == null ? "-" : e.target(),
        e.detail() == null ? "" : " " + e.detail());
  }

  private void write(List<Pending> batch) {
    try {
      store.appendAll(batch.stream().map(Pending::entry).toList());
    } catch (RuntimeException e) {
      for (Pending p : batch) {
        AuditEntry x = p.entry();
        log.error(
            "cannot store audit entry {} {} {}: {}",
            x.actor(),
            x.action(),
            x.target(),
            e.toString());
      }
    } finally {
      batch.forEach(p -> p.stored().complete(null));
    }
  }

  /** The newest {@code limit} entries, newest first. */
  public List<AuditEntry> recent(int limit) {
    return store.recent(limit);
  }

  /** The entries that match {@code query}, newest first. */
  public List<AuditEntry> find(AuditQuery query) {
    return store.find(query);
  }

  private static String clip(String s, int max) {
    if (s == null) {
      return null;
    }
    String oneLine = s.replace('\n', ' ').replace('\r', ' ');
    return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 1) + "…";
  }
}
