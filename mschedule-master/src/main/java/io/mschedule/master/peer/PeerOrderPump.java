package io.mschedule.master.peer;

import io.mschedule.master.dispatch.AgentGateway;
import io.mschedule.master.loop.PeriodicLoop;
import io.mschedule.master.store.RunOrder;
import io.mschedule.master.store.RunOrderStore;
import io.mschedule.master.store.TaskStore;
import io.mschedule.master.task.Run;
import io.mschedule.master.task.RunState;
import io.mschedule.master.task.Task;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks up what other masters wrote for this one: orders for the agents linked here, delivered
 * through the direct gateway (the run and task are read from the store, so an order for an attempt
 * that moved on or a run that ended is dropped), and the ends of runs of tasks driven here that
 * another master recorded, passed to the coordinator. Each pass also shares live output with the
 * other masters ({@link PeerOutput}).
 */
public final class PeerOrderPump extends PeriodicLoop {
  private static final Logger log = LoggerFactory.getLogger(PeerOrderPump.class);

  /** How often the database is asked for new orders. */
  public static final Duration EVERY = Duration.ofMillis(200);

  /** An order nobody could deliver for this long is given up (the run is lost or resent). */
  static final Duration MAX_AGE = Duration.ofMinutes(1);

  /**
   * Orders per pass; a full pass asks for the next one at once. A pass reads the runs of each task
   * it has orders for once, so a large fan-out is taken in few passes.
   */
  static final int BATCH = 5000;

  private final RunOrderStore orders;
  private final TaskStore tasks;
  private final AgentGateway direct;
  private final Consumer<Run> runEnded;
  private final Consumer<Run> handedOut;
  private final String masterId;
  private final Runnable flushOutgoing;
  private final BooleanSupplier shareOutput;

  /** Agents that linked here since the last pass. */
  private final Queue<String> linked = new ConcurrentLinkedQueue<>();

  /**
   * @param direct the gateway to the agents linked to this master (its own instance: it is called
   *     from this loop's thread)
   * @param runEnded told of a run of a task driven here that ended on another master
   * @param handedOut told of a run about to be handed to its agent here (so this master accepts its
   *     output and file fetches)
   * @param flushOutgoing writes this master's queued orders for agents of other masters
   * @param shareOutput writes and reads live output shared with other masters (never throws); true
   *     when more is waiting
   */
  public PeerOrderPump(
      RunOrderStore orders,
      TaskStore tasks,
      AgentGateway direct,
      Consumer<Run> runEnded,
      Consumer<Run> handedOut,
      String masterId,
      Runnable flushOutgoing,
      BooleanSupplier shareOutput) {
    super("mschedule-peer-orders", EVERY);
    this.orders = orders;
    this.tasks = tasks;
    this.direct = direct;
    this.runEnded = runEnded;
    this.handedOut = handedOut;
    this.masterId = masterId;
    this.flushOutgoing = flushOutgoing;
    this.shareOutput = shareOutput;
  }

  /**
   * An agent linked to this master: it is handed again what it should be running for tasks other
   * masters drive (an agent ignores a run it knows; an order lost with a master that died is so
   * delivered), or asked again to kill it.
   */
  public void linkUp(String agentId) {
    linked.add(agentId);
    wake();
  }

  /** Whether the last pass could not reach the database (logged once per outage). */
  private boolean unreachable;

  @Override
  public void runOnce() {
    try {
      pass();
      if (unreachable) {
        unreachable = false;
        log.info("orders from other masters can be read again");
      }
    } catch (RuntimeException e) {
      if (!unreachable) {
        unreachable = true;
        log.warn("cannot read orders from other masters, retrying: {}", e.toString());
      }
    }
    if (shareOutput.getAsBoolean()) {
      wake();
    }
  }

  private void pass() {
    flushOutgoing.run();
    String agentId;
    while ((agentId = linked.peek()) != null) { // kept queued until read (the database may be away)
      Map<String, Optional<Task>> byId = new HashMap<>();
      for (RunOrder o : orders.inFlightElsewhere(agentId, masterId)) {
        try {
          deliver(o, byId, tasks.findRun(o.taskId(), o.agentId()));
        } catch (RuntimeException e) {
          log.warn("cannot hand {} to {} again: {}", o.taskId(), agentId, e.toString());
        }
      }
      linked.poll();
    }
    List<RunOrder> taken =
        orders.take(
            masterId,
            BATCH,
            MAX_AGE,
            o -> o.kind() == RunOrder.Kind.ENDED || direct.isLinked(o.agentId()));
    Map<String, Optional<Task>> byId = new HashMap<>();
    // a fan-out's orders come together: read each task's runs once per pass, not once per order
    Map<String, Map<String, Run>> runsByTask = new HashMap<>();
    for (RunOrder o : taken) {
      try {
        Run run =
            runsByTask.computeIfAbsent(o.taskId(), id -> byAgent(tasks.runs(id))).get(o.agentId());
        deliver(o, byId, Optional.ofNullable(run));
      } catch (RuntimeException e) {
        log.warn("cannot carry out {}: {}", o, e.toString());
      }
    }
    if (taken.size() == BATCH) {
      wake();
    }
  }

  private static Map<String, Run> byAgent(List<Run> runs) {
    Map<String, Run> m = new HashMap<>(runs.size() * 2);
    runs.forEach(r -> m.put(r.agentId(), r));
    return m;
  }

  private void deliver(RunOrder o, Map<String, Optional<Task>> byId, Optional<Run> found) {
    Optional<Run> run = found.filter(r -> r.attempt() == o.attempt());
    if (o.kind() == RunOrder.Kind.ENDED) {
      run.filter(r -> r.state().isFinal()).ifPresent(runEnded);
      return;
    }
    if (run.isEmpty() || run.get().state() != RunState.RUNNING) {
      return; // the run moved on: the order is stale
    }
    Optional<Task> task = byId.computeIfAbsent(o.taskId(), tasks::findTask);
    if (task.isEmpty()) {
      return;
    }
    boolean sent;
    if (o.kind() == RunOrder.Kind.START && task.get().stopping() == null) {
      handedOut.accept(run.get());
      sent = direct.start(task.get(), run.get());
    } else {
      sent = direct.kill(task.get(), run.get());
    }
    if (!sent) {
      log.warn("task {}: the agent {} left before its {} order", o.taskId(), o.agentId(), o.kind());
    }
  }
}
