package io.mschedule.agent.session;

/**
 * The master offers an order key other than the one this agent trusts; the message says what to do.
 */
final class OrderKeyMismatchException extends RuntimeException {
  OrderKeyMismatchException(String message) {
    super(message);
  }
}
