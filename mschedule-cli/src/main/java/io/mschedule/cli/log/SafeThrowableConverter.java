package io.mschedule.cli.log;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * A stack trace with the same escaping as {@link SafeMessageConverter}, but for the line breaks
 * that start its frames and causes; an exception message cannot start a forged log line.
 */
public final class SafeThrowableConverter extends ThrowableProxyConverter {
  @Override
  public String convert(ILoggingEvent event) {
    String trace = super.convert(event);
    return trace.isEmpty() ? trace : Escaper.escapeTrace(trace);
  }
}
