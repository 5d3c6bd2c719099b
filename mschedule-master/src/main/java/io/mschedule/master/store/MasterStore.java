package io.mschedule.master.store;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** The masters sharing this database, each stamping its own heartbeat with the database's clock. */
public interface MasterStore {
  /** Inserts or replaces this master's row; its start and heartbeat are the database's now. */
  void register(String id, String agentEndpoint, String apiUrl);

  /** Stamps the heartbeat with the database's now; false when the row is gone. */
  boolean heartbeat(String id, int agentsConnected, int tasksOwned);

  /**
   * Removes the rows of masters whose last heartbeat is older than {@code silentFor} on the
   * database's clock; returns how many.
   */
  int forgetSilent(Duration silentFor);

  /** Every master, ordered by id. */
  List<MasterRecord> all();

  /**
   * Which master holds (or last held) each agent's connection, for agents where it is known and is
   * not {@code except} (null: every such agent).
   */
  Map<String, String> agentMasters(String except);

  /**
   * Records which master holds the connections of {@code agentIds}, in one transaction (unknown
   * agents are ignored).
   */
  void agentsOn(Collection<String> agentIds, String masterId);
}
