package io.mschedule.cli.log;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * {@code %msg} with control characters and bidi overrides escaped ({@link Escaper}): a value an
 * agent or a client sent cannot start a new, forged log line or hide text on a terminal.
 */
public final class SafeMessageConverter extends MessageConverter {
  @Override
  public String convert(ILoggingEvent event) {
    return Escaper.escape(super.convert(event));
  }
}
