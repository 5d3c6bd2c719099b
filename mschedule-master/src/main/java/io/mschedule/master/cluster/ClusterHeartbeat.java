package io.mschedule.master.cluster;

import io.mschedule.master.agents.AgentRegistry;
import io.mschedule.master.loop.PeriodicLoop;
import io.mschedule.master.store.MasterStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this master's row in the {@code masters} table alive (heartbeat on the database's clock,
 * agents connected, tasks driven) and learns which master holds each agent.
 */
public final class ClusterHeartbeat extends PeriodicLoop {
  private static final Logger log = LoggerFactory.getLogger(ClusterHeartbeat.class);

  private final MasterStore masters;
  private final AgentRegistry registry;
  private final String masterId;
  private final String agentEndpoint;
  private final String apiUrl;
  private final IntSupplier tasksOwned;
  private final Set<String> recorded = new HashSet<>();
  private boolean learnedOwn;

  /**
   * How long a master's row outlives its last heartbeat: a master gone this long (removed, or
   * replaced under a new id) leaves the fleet view ({@code mschedule cluster}). One day, as Nomad's
   * default for forgetting down nodes; a master that comes back registers again.
   */
  public static final Duration FORGET_AFTER = Duration.ofHours(24);

  public ClusterHeartbeat(
      MasterStore masters,
      AgentRegistry registry,
      String masterId,
      String agentEndpoint,
      String apiUrl,
      IntSupplier tasksOwned,
      Duration deadAfter) {
    super("mschedule-cluster", interval(deadAfter));
    this.masters = masters;
    this.registry = registry;
    this.masterId = masterId;
    this.agentEndpoint = agentEndpoint;
    this.apiUrl = apiUrl;
    this.tasksOwned = tasksOwned;
  }

  /** Four heartbeats within the dead-after window, one per 5 s at most, per 500 ms at least. */
  static Duration interval(Duration deadAfter) {
    Duration d = deadAfter.dividedBy(4);
    if (d.compareTo(Duration.ofSeconds(5)) > 0) {
      return Duration.ofSeconds(5);
    }
    return d.compareTo(Duration.ofMillis(500)) < 0 ? Duration.ofMillis(500) : d;
  }

  /** Writes this master's row (call once before {@link #start()}). */
  public void join() {
    masters.register(masterId, agentEndpoint, apiUrl);
    log.info("master {} joined the cluster (agents: {}, API: {})", masterId, agentEndpoint, apiUrl);
  }

  @Override
  public void runOnce() {
    var online = registry.onlineIds();
    if (!masters.heartbeat(masterId, online.size(), tasksOwned.getAsInt())) {
      join(); // the row was removed: register again
    }
    // an agent that left and comes back is recorded again; a set, for retainAll looks up each
    // recorded agent in it (a list made this O(n²): 35 % of an idle master's CPU at 10,000)
    recorded.retainAll(new HashSet<>(online));
    List<String> arrived = new ArrayList<>();
    for (String agentId : online) {
      if (recorded.add(agentId)) {
        arrived.add(agentId);
      }
    }
    try {
      masters.agentsOn(arrived, masterId); // one transaction: 10,000 at a master's start
    } catch (RuntimeException e) {
      recorded.removeAll(arrived); // recorded on the next pass
      throw e;
    }
    // the agents last held here are learned once (offline ones keep this master in the view);
    // after that only other masters' agents are read: none on a lone master, where reading all
    // 10,000 rows at every pass was most of its loop's work
    registry.masters(masters.agentMasters(learnedOwn ? masterId : null));
    learnedOwn = true;
    int forgotten = masters.forgetSilent(FORGET_AFTER);
    if (forgotten > 0) {
      log.info("forgot {} master(s) silent for more than {} h", forgotten, FORGET_AFTER.toHours());
    }
  }
}
