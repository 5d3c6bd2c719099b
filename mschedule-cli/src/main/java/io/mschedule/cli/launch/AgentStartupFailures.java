package io.mschedule.cli.launch;

import io.mschedule.agent.Agent;
import io.mschedule.cli.CliException;
import io.mschedule.protocol.settings.SettingsException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agent that fails to start becomes one line naming the problem; the stack trace goes to the log
 * at debug level only. Kept apart from {@link StartupFailures} so that the lean agent jar holds no
 * master class.
 */
final class AgentStartupFailures {
  private static final Logger log = LoggerFactory.getLogger(AgentStartupFailures.class);

  private AgentStartupFailures() {}

  static Agent agent(Supplier<Agent> start) {
    try {
      return start.get();
    } catch (SettingsException e) {
      log.debug("the agent did not start", e);
      throw e;
    } catch (RuntimeException e) {
      log.debug("the agent did not start", e);
      throw new CliException("the agent did not start: " + FailureReasons.reason(e), e);
    }
  }
}
