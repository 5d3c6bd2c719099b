package io.mschedule.master.security;

import io.mschedule.master.audit.AuditLog;
import io.mschedule.master.store.AuditEntry;
import io.mschedule.master.store.AuditQuery;
import io.mschedule.master.store.AuditStore;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log in the database, also written to the log (logger {@code mschedule.audit}). A
 * failure to store an entry is logged and does not undo what was audited.
 */
public final class DbAuditLog implements AuditLog {
  static final int MAX_ACTOR = 255;
  static final int MAX_ACTION = 64;
  static final int MAX_TARGET = 255;
  static final int MAX_DETAIL = 1000;
  private static final Logger log = LoggerFactory.getLogger("mschedule.audit");

  private final AuditStore store;
  private final Clock clock;

  public DbAuditLog(AuditStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  @Override
  public void record(String actor, String action, String target, String detail) {
    String a = clip(actor == null ? TokenService.ANONYMOUS : actor, MAX_ACTOR);
    String act = clip(action, MAX_ACTION);
    String t = clip(target, MAX_TARGET);
    String d = clip(detail, MAX_DETAIL);
    log.info("{} {} {}{}", a, act, t == null ? "-" : t, d == null ? "" : " " + d);
    try {
      store.append(clock.instant().truncatedTo(ChronoUnit.MILLIS), a, act, t, d);
    } catch (RuntimeException e) {
      log.error("cannot store audit entry {} {} {}: {}", a, act, t, e.toString());
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
