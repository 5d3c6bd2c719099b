package io.mschedule.master.rpc;

import io.mschedule.master.dispatch.AgentGateway;
import io.mschedule.master.task.Run;
import io.mschedule.master.task.Task;
import io.mschedule.protocol.message.FileOrder;
import io.mschedule.protocol.message.KillOrder;
import io.mschedule.protocol.message.MessageCodec;
import io.mschedule.protocol.message.TaskOrder;
import org.msgpack.value.Value;

/**
 * Reaches directly connected agents: orders are items of each agent's {@code subscribe} stream (see
 * {@link AgentLinks}).
 */
public final class ZeroRpcGateway implements AgentGateway {
  private final AgentLinks links;

  /** The order of the task dispatched last, encoded, so a fan-out encodes its script once. */
  private String lastTaskId;

  private Value lastOrder;

  public ZeroRpcGateway(AgentLinks links) {
    this.links = links;
  }

  @Override
  public boolean start(Task task, Run run) {
    return links.send(run.agentId(), run.attempt() == 1 ? order(task) : retryOrder(task, run));
  }

  @Override
  public boolean kill(Task task, Run run) {
    return links.send(run.agentId(), new KillOrder(task.id()));
  }

  @Override
  public boolean isLinked(String agentId) {
    return links.isLinked(agentId);
  }

  /** The order of a later attempt: not cached, retries come one by one. */
  private static Value retryOrder(Task t, Run run) {
    return MessageCodec.encode(taskOrder(t, run.attempt()));
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
    if (t.id().equals(lastTaskId)) {
      return lastOrder;
    }
    Value order = MessageCodec.encode(taskOrder(t, 1));
    lastTaskId = t.id();
    lastOrder = order;
    return order;
  }
}
