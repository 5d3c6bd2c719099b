package io.mschedule.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Keeps Javalin's own "Failed to start Javalin" off the console: the reason is reported once, as
 * the one line of {@link StartupFailures} that names the setting to change.
 */
public final class StartFailureLogFilter extends Filter<ILoggingEvent> {
  @Override
  public FilterReply decide(ILoggingEvent event) {
    return event.getLoggerName().startsWith("io.javalin")
            && "Failed to start Javalin".equals(event.getMessage())
        ? FilterReply.DENY
        : FilterReply.NEUTRAL;
  }
}
