package io.mschedule.master.task;

/** A request that cannot be accepted; {@code field} names the input at fault (or null). */
public final class BadRequestException extends RuntimeException {
  private final String field;

  public BadRequestException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
