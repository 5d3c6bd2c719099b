package io.mschedule.cli.launch;

import io.mschedule.agent.Agent;
import io.mschedule.cli.CliException;
import io.mschedule.master.MasterServer;
import io.mschedule.master.config.MasterConfig;
import io.mschedule.protocol.settings.Settings;
import io.mschedule.protocol.settings.SettingsException;
import io.mschedule.protocol.zerorpc.ZeroRpcException;
import java.net.BindException;
import java.sql.SQLException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * A master or agent that fails to start becomes one line naming the problem and the setting that
 * fixes it (reported by {@link Main} as {@code mschedule: ...}); the stack trace goes to the log at
 * debug level only.
 */
final class StartupFailures {
  private static final Logger log = LoggerFactory.getLogger(StartupFailures.class);

  private StartupFailures() {}

  static MasterServer master(MasterConfig cfg, Supplier<MasterServer> start) {
    try {
      return start.get();
    } catch (SettingsException e) {
      log.debug("the master did not start", e);
      throw e;
    } catch (RuntimeException e) {
      log.debug("the master did not start", e);
      throw new CliException(masterMessage(cfg, e), e);
    }
  }

  static Agent agent(Supplier<Agent> start) {
    try {
      return start.get();
    } catch (SettingsException e) {
      log.debug("the agent did not start", e);
      throw e;
    } catch (RuntimeException e) {
      log.debug("the agent did not start", e);
      throw new CliException("the agent did not start: " + reason(e), e);
    }
  }

  static String masterMessage(MasterConfig cfg, Throwable e) {
    ZeroRpcException rpc = find(e, ZeroRpcException.class);
    if (rpc != null && rpc.getMessage() != null && rpc.getMessage().startsWith("cannot bind ")) {
      boolean plain = cfg.plainAgentBind() != null && bound(rpc.getMessage(), cfg.plainAgentBind());
      String key = plain ? MasterConfig.PLAIN_AGENT_BIND : MasterConfig.AGENT_BIND;
      return cannotListen(key, plain ? cfg.plainAgentBind() : cfg.agentBind(), e);
    }
    if (find(e, BindException.class) != null || named(e, "BindException")) {
      return cannotListen(MasterConfig.HTTP_BIND, cfg.httpHost() + ":" + cfg.httpPort(), e);
    }
    if (find(e, SQLException.class) != null) {
      return "cannot open the database ("
          + reason(e)
          + "); check "
          + MasterConfig.DB_URL
          + ", "
          + MasterConfig.DB_USER
          + " and "
          + MasterConfig.DB_PASSWORD
          + " (--db-url, MSCHEDULE_DB_URL, ...)";
    }
    return "the master did not start: " + reason(e);
  }

  private static boolean bound(String message, String endpoint) {
    String prefix = "cannot bind " + endpoint;
    return message.equals(prefix) || message.startsWith(prefix + ":");
  }

  private static String cannotListen(String key, String address, Throwable e) {
    return "cannot listen on "
        + key
        + " "
        + address
        + " ("
        + reason(e)
        + "): another process may be using it; choose another address with --"
        + key
        + " (or "
        + Settings.environmentName(key)
        + ", or "
        + key
        + " in the --config file)";
  }

  /** The innermost message, which is the one that says what went wrong. */
  private static String reason(Throwable e) {
    ZMQException zmq = find(e, ZMQException.class);
    if (zmq != null) {
      try {
        return ZMQ.Error.findByCode(zmq.getErrorCode()).getMessage();
      } catch (IllegalArgumentException unknown) {
        // fall back to the message
      }
    }
    String reason = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        reason = t.getMessage().strip().lines().findFirst().orElse("");
      }
    }
    return reason == null ? e.getClass().getSimpleName() : reason;
  }

  private static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static boolean named(Throwable e, String simpleName) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getClass().getSimpleName().equals(simpleName)) {
        return true;
      }
    }
    return false;
  }
}
