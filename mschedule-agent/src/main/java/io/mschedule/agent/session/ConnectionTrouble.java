package io.mschedule.agent.session;

import io.mschedule.protocol.zerorpc.CallTimeoutException;
import io.mschedule.protocol.zerorpc.RemoteErrorException;
import java.util.concurrent.ExecutionException;

/**
 * Says what went wrong with the master in words that tell the operator what to do. Remembers a
 * refusal of this agent's key: the master then refuses the agent's connections without a word, so a
 * later silence is that refusal, not a wrong master key.
 */
final class ConnectionTrouble {
  static final String REFUSED = "Refused";

  private final String agentId;
  private volatile String master;
  private volatile boolean keyRefused;

  ConnectionTrouble(String agentId, String master) {
    this.agentId = agentId;
    this.master = master;
  }

  /** The master the agent is trying now (named in the messages). */
  void master(String endpoint) {
    this.master = endpoint;
  }

  /**
   * @param registered whether the agent got as far as registering on this connection: a silence
   *     before that is most often a wrong master key, which makes the master drop the handshake
   */
  String describe(Throwable error, boolean registered) {
    Throwable e =
        error instanceof ExecutionException && error.getCause() != null ? error.getCause() : error;
    if (e instanceof CallTimeoutException) {
      if (registered) {
        return "the master at " + master + " stopped answering";
      }
      if (keyRefused) {
        return "the master refused this agent's key and no longer answers it; to let it ask"
            + " again, delete its key on the master (mschedule keys delete "
            + agentId
            + ")";
      }
      return "no answer from the master: check --master-key (the master's key is printed by"
          + " mschedule master key) and that the master runs at "
          + master;
    }
    if (e instanceof OrderKeyMismatchException) {
      return e.getMessage();
    }
    if (e instanceof RemoteErrorException r && REFUSED.equals(r.name())) {
      return refused(r.remoteMessage());
    }
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  private String refused(String why) {
    String w = why == null ? "" : why;
    if (w.contains("join token")) {
      return "the master refused the join token: "
          + w
          + " (create one on the master with mschedule master token create)";
    }
    if (w.contains("rejected")) {
      keyRefused = true;
      return "the master refused this agent's key (" + w + ")";
    }
    return "the master refused this agent: " + w;
  }
}
