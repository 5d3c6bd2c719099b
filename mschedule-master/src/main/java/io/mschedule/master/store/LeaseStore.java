package io.mschedule.master.store;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Task ownership between masters sharing a database. Every decision is taken by the database (its
 * clock, its row locks, its unique keys), never by comparing the masters' clocks.
 */
public interface LeaseStore {
  /**
   * Takes the task for {@code masterId} for {@code ttl}: when it has no lease yet, or its lease
   * expired (the epoch then grows by one). Empty while another master holds it, or the task ended.
   */
  Optional<Lease> claim(String taskId, String masterId, Duration ttl);

  /**
   * Extends every unexpired lease of {@code masterId} by {@code ttl} from now, and returns the
   * leases it holds afterwards. A lease missing from the answer was lost.
   */
  List<Lease> renew(String masterId, Duration ttl);

  /**
   * Lets every lease of {@code masterId} expire now (a master stopping on purpose), so another
   * master takes its tasks over at once instead of after the time to live.
   */
  void release(String masterId);

  /** Unfinished tasks that no master holds (no lease, or an expired one), oldest first. */
  List<String> unowned(int limit);

  /**
   * Asks the master that holds the task to kill it ({@code by}: who asked). False when the task has
   * no lease (it ended, or no master took it yet).
   */
  boolean requestKill(String taskId, String by);

  /** Kills asked for on the tasks {@code masterId} holds: task id to who asked. */
  java.util.Map<String, String> killRequests(String masterId);

  /** How many unfinished tasks each master holds an unexpired lease on. */
  java.util.Map<String, Integer> owned();
}
