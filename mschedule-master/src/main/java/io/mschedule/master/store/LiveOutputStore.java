package io.mschedule.master.store;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Live output shared by masters on one database: each master writes the chunks its agents send, and
 * reads the chunks other masters wrote for the tasks it has viewers of. Times are the database's.
 */
public interface LiveOutputStore {
  /** Writes chunks (their ids are ignored) in one transaction. */
  void write(List<LiveOutputChunk> chunks);

  /**
   * The chunks of {@code taskIds} written by masters other than {@code exceptMaster} with an id
   * above {@code afterId}, by id, at most {@code limit}.
   */
  List<LiveOutputChunk> read(
      Collection<String> taskIds, long afterId, String exceptMaster, int limit);

  /** Deletes the chunks written more than {@code keep} ago; returns how many. */
  int purge(Duration keep);
}
