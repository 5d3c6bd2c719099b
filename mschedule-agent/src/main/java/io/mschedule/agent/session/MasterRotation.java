package io.mschedule.agent.session;

import io.mschedule.agent.MasterEndpoint;
import java.util.List;

/**
 * Which of the agent's masters to connect to: the current one until it fails, then the next in the
 * list. A full round of failures (every master tried since the last good connection) tells the
 * session to back off before the next round; until then it moves on at once.
 */
final class MasterRotation {
  private final List<MasterEndpoint> masters;
  private int current;
  private int failedInRow;

  MasterRotation(List<MasterEndpoint> masters) {
    if (masters.isEmpty()) {
      throw new IllegalArgumentException("no master endpoint");
    }
    this.masters = List.copyOf(masters);
  }

  MasterEndpoint current() {
    return masters.get(current);
  }

  /** The agent registered with the current master. */
  void connected() {
    failedInRow = 0;
  }

  /**
   * The current master could not be reached or the connection was lost: the next one becomes
   * current.
   *
   * @return true when every master has now failed since the last good connection (back off)
   */
  boolean failed() {
    current = (current + 1) % masters.size();
    failedInRow++;
    if (failedInRow >= masters.size()) {
      failedInRow = 0;
      return true;
    }
    return false;
  }

  int size() {
    return masters.size();
  }
}
