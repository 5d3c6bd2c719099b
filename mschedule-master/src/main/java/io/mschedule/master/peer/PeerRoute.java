package io.mschedule.master.peer;

import io.mschedule.master.agents.AgentListener;
import io.mschedule.master.agents.AgentRegistry;
import io.mschedule.master.dispatch.AgentGateway;
import io.mschedule.master.live.TaskEvents;
import io.mschedule.master.store.LiveOutputStore;
import io.mschedule.master.store.RunOrderStore;
import io.mschedule.master.store.TaskStore;
import io.mschedule.master.task.Run;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The route to agents held by other masters sharing the database, wired in two steps: {@link
 * #gateway} before the coordinator exists, {@link #events} once it does. Closing stops the pump.
 */
public final class PeerRoute implements AutoCloseable {
  private final RunOrderStore orders;
  private final LiveOutputStore liveOutput;
  private final Clock clock;
  private final TaskStore tasks;
  private final String masterId;
  private final PeerDirectory directory;
  private PeerOrderPump pump;
  private PeerGateway peerGateway;

  /**
   * @param masterDeadAfter a master whose heartbeat is older is dead
   * @param seenWithin an agent whose last_seen is older is gone (its master's offline time plus how
   *     often last_seen is written)
   */
  public PeerRoute(
      RunOrderStore orders,
      LiveOutputStore liveOutput,
      TaskStore tasks,
      String masterId,
      Duration masterDeadAfter,
      Duration seenWithin,
      Clock clock) {
    this.orders = orders;
    this.liveOutput = liveOutput;
    this.clock = clock;
    this.tasks = tasks;
    this.masterId = masterId;
    this.directory = new PeerDirectory(orders, masterId, masterDeadAfter, seenWithin, clock);
  }

  /**
   * The gateway dispatch uses: {@code direct} for agents linked here, the database for agents of
   * other masters, which {@code registry} then shows online.
   */
  public AgentGateway gateway(AgentGateway direct, AgentRegistry registry) {
    registry.heldElsewhere(id -> directory.masterOf(id) != null);
    peerGateway = new PeerGateway(orders, directory);
    return new RoutingGateway(direct, peerGateway);
  }

  /**
   * Starts picking orders up and returns the events gateways report to.
   *
   * @param local where results, links and output go on this master
   * @param live where output other masters received goes on this master
   * @param direct a gateway to the agents linked here, for this route's own thread
   * @param runEnded told of a run of a task driven here that ended on another master
   * @param handedOut told of a run handed to its agent here for another master
   */
  public AgentGateway.Events events(
      AgentGateway.Events local,
      TaskEvents live,
      AgentGateway direct,
      Consumer<Run> runEnded,
      Consumer<Run> handedOut) {
    PeerGateway outgoing = peerGateway;
    OrderQueue notices = new OrderQueue(batch -> orders.ended(batch, masterId), "end(s) of runs");
    PeerOutput output = new PeerOutput(liveOutput, tasks, live, masterId, clock);
    pump =
        new PeerOrderPump(
            orders,
            tasks,
            direct,
            runEnded,
            handedOut,
            masterId,
            () -> {
              notices.flush();
              if (outgoing != null) {
                outgoing.flush();
              }
            },
            output::pass);
    notices.onQueued(pump::wake);
    if (outgoing != null) {
      outgoing.onQueued(pump::wake);
    }
    pump.start();
    return new PeerResults(local, notices, pump, output);
  }

  /** Calls {@code onOnline} when an agent comes online here. */
  public static AgentListener onOnline(Runnable onOnline) {
    return new AgentListener() {
      @Override
      public void onOnline(String agentId) {
        onOnline.run();
      }

      @Override
      public void onOffline(String agentId) {}
    };
  }

  @Override
  public void close() {
    if (pump != null) {
      pump.close();
    }
  }
}
