package io.mschedule.cli.launch;

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

/**
 * A master that fails to start becomes one line naming the problem and the setting that fixes it
 * (reported by {@link Main} as {@code mschedule: ...}); the stack trace goes to the log at debug
 * level only. The agent's counterpart is {@link AgentStartupFailures}.
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

  static String masterMessage(MasterConfig cfg, Throwable e) {
    ZeroRpcException rpc = FailureReasons.find(e, ZeroRpcException.class);
    if (rpc != null && rpc.getMessage() != null && rpc.getMessage().startsWith("cannot bind ")) {
      boolean plain = cfg.plainAgentBind() != null && bound(rpc.getMessage(), cfg.plainAgentBind());
      String key = plain ? MasterConfig.PLAIN_AGENT_BIND : MasterConfig.AGENT_BIND;
      return cannotListen(key, plain ? cfg.plainAgentBind() : cfg.agentBind(), e);
    }
    if (FailureReasons.find(e, BindException.class) != null
        || FailureReasons.named(e, "BindException")) {
      return cannotListen(MasterConfig.HTTP_BIND, cfg.httpHost() + ":" + cfg.httpPort(), e);
    }
    if (FailureReasons.find(e, SQLException.class) != null) {
      return "cannot open the database ("
          + FailureReasons.reason(e)
          + "); check "
          + MasterConfig.DB_URL
          + ", "
          + MasterConfig.DB_USER
          + " and "
          + MasterConfig.DB_PASSWORD
          + " (--db-url, MSCHEDULE_DB_URL, ...)";
    }
    return "the master did not start: " + FailureReasons.reason(e);
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
        + FailureReasons.reason(e)
        + "): another process may be using it; choose another address with --"
        + key
        + " (or "
        + Settings.environmentName(key)
        + ", or "
        + key
        + " in the --config file)";
  }
}
