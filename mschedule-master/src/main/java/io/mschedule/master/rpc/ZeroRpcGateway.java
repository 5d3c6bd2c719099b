package io.mschedule.master.rpc;

import io.mschedule.master.dispatch.AgentGateway;
import io.mschedule.master.task.Run;
import io.mschedule.master.task.Task;
import io.mschedule.protocol.message.FileOrder;
import io.mschedule.protocol.message.KillOrder;
import io.mschedule.protocol.message.TaskOrder;
import io.mschedule.protocol.signing.OrderSigner;
import java.time.Clock;
import java.time.Duration;
import org.msgpack.value.Value;

/**
 * Reaches directly connected agents: orders are items of each agent's {@code subscribe} stream (see
 * {@link AgentLinks}). Every order carries the master's signature ({@link OrderSigner}).
 */
public final class ZeroRpcGateway implements AgentGateway {
  /**
   * How long one signed order of a task serves its fan-out before it is signed again with a fresh
   * issue time, well within the age agents accept ({@code OrderVerifier.MAX_AGE}).
   */
  static final Duration RESIGN_AFTER = Duration.ofMinutes(1);

  private final AgentLinks links;
  private final OrderSigner signer;
  private final Clock clock;

  /** The order of the task dispatched last, encoded and signed, so a fan-out signs it once. */
  private String lastTaskId;

  private Value lastOrder;
  private long lastIssuedAt;

  /** The same for kill orders: killing a fan-out signs its kill order once. */
  private String lastKillId;

  private Value lastKill;
  private long lastKillIssuedAt;

  public ZeroRpcGateway(AgentLinks links, OrderSigner signer, Clock clock) {
    this.links = links;
    this.signer = signer;
    this.clock = clock;
  }

  @Override
  public boolean start(Task task, Run run) {
    return links.send(run.agentId(), run.attempt() == 1 ? order(task) : retryOrder(task, run));
  }

  @Override
  public void together(Runnable sends) {
    OrderBatch.of(sends);
  }

  @Override
  public boolean kill(Task task, Run run) {
    return links.send(run.agentId(), killOrder(task));
  }

  private Value killOrder(Task t) {
    long now = clock.millis();
    if (t.id().equals(lastKillId) && now - lastKillIssuedAt < RESIGN_AFTER.toMillis()) {
      return lastKill;
    }
    lastKill = signer.sign(new KillOrder(t.id()), now);
    lastKillId = t.id();
    lastKillIssuedAt = now;
    return lastKill;
  }

  @Override
  public boolean isLinked(String agentId) {
    return links.isLinked(agentId);
  }

  /** The order of a later attempt: not cached, retries come one by one. */
  private Value retryOrder(Task t, Run run) {
    return signer.sign(taskOrder(t, run.attempt()), clock.millis());
  }

  private static TaskOrder taskOrder(Task t, int attempt) {
    return new TaskOrder(
        t.id(),
        t.script().bytes(),
        t.timeoutSeconds(),
        t.parallel(),
        t.failRate() == null ? 0 : t.failRate(),
        t.failCount() == null ? -1 : t.failCount(),
        t.scriptSha256(),
        t.env(),
        t.files().files().stream()
            .map(f -> new FileOrder(f.sha256(), f.size(), f.dest(), f.mode(), f.owner()))
            .toList(),
        t.files().copy(),
        attempt);
  }

  private Value order(Task t) {
    long now = clock.millis();
    if (t.id().equals(lastTaskId) && now - lastIssuedAt < RESIGN_AFTER.toMillis()) {
      return lastOrder;
    }
    lastOrder = signer.sign(taskOrder(t, 1), now);
    lastTaskId = t.id();
    lastIssuedAt = now;
    return lastOrder;
  }
}
