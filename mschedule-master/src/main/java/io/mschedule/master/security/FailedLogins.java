package io.mschedule.master.security;

import io.mschedule.master.audit.AuditLog;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Records refused requests (401) in the audit log as actor {@code anonymous}, at most one row per
 * remote address per minute and at most {@link #MAX_ROWS_PER_MINUTE} rows a minute in all, so a
 * flood cannot fill the database. Rows say how many refusals from the address went unrecorded.
 */
final class FailedLogins {
  static final long WINDOW_MILLIS = 60_000;
  static final int MAX_ROWS_PER_MINUTE = 60;

  private final AuditLog audit;
  private final Clock clock;
  private final Map<String, Seen> seen = new HashMap<>();
  private long windowStart;
  private int rowsInWindow;

  FailedLogins(AuditLog audit, Clock clock) {
    this.audit = audit;
    this.clock = clock;
    this.windowStart = clock.millis();
  }

  /**
   * @param address the peer's IP address (not a forwarded header, which anyone can set)
   * @param detail what was refused and why; never the presented token
   */
  void record(String address, String detail) {
    String addr = address == null || address.isBlank() ? "unknown" : address;
    long skipped;
    synchronized (this) {
      long now = clock.millis();
      if (now - windowStart >= WINDOW_MILLIS) {
        windowStart = now;
        rowsInWindow = 0;
        seen.values()
            .removeIf(
                s ->
                    now - s.lastRow >= WINDOW_MILLIS && s.skipped == 0
                        || now - s.lastRow >= 10 * WINDOW_MILLIS);
      }
      Seen s = seen.get(addr);
      if (s != null && now - s.lastRow < WINDOW_MILLIS || rowsInWindow >= MAX_ROWS_PER_MINUTE) {
        if (s != null) {
          s.skipped++;
        }
        return;
      }
      if (s == null) {
        s = new Seen();
        seen.put(addr, s);
      }
      skipped = s.skipped;
      s.skipped = 0;
      s.lastRow = now;
      rowsInWindow++;
    }
    audit.record(
        TokenService.ANONYMOUS,
        "login.fail",
        addr,
        skipped == 0 ? detail : detail + " (+" + skipped + " earlier refusals not recorded)");
  }

  private static final class Seen {
    long lastRow;
    long skipped;
  }
}
