package io.mschedule.relay.uplink;

import java.util.List;
import org.msgpack.value.Value;

/** What the master sends a relay on its stream, and when the session ends. */
public interface UplinkListener {
  /** {@code order} goes to the agent order stream of each number in {@code streams}. */
  void onOrder(List<Long> streams, Value order);

  /** The master ended an agent's order stream ({@code error} null: a plain end). */
  void onUnlink(String agentId, long stream, String error, String message);

  /** The session with the master is up. */
  void onUp();

  /** The session with the master ended (the relay reconnects by itself). */
  void onDown();
}
