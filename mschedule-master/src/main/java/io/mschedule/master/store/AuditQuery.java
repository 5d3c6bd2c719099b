package io.mschedule.master.store;

import java.time.Instant;

/**
 * Which audit entries to list, newest first.
 *
 * @param actor only entries of this actor (a token name, {@code anonymous} or {@code system}); null
 *     for any
 * @param action an action ({@code task.kill}), or a family of actions without a dot ({@code task}
 *     for {@code task.*}); null for any
 * @param since only entries written at or after this instant; null for any
 * @param until only entries written before this instant; null for any
 * @param limit at most this many entries
 */
public record AuditQuery(String actor, String action, Instant since, Instant until, int limit) {
  /** The newest {@code limit} entries. */
  public static AuditQuery recent(int limit) {
    return new AuditQuery(null, null, null, null, limit);
  }
}
