package io.mschedule.cli.client;

/**
 * An error answer from the master, in the API's error shape {@code {"status", "error", "field"}},
 * or a failure to get an answer at all ({@link #status()} 0).
 */
public class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String field;

  public ApiException(int status, String message, String field) {
    this(status, message, field, null);
  }

  public ApiException(int status, String message, String field, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.field = field;
  }

  /** The HTTP status, or 0 when no HTTP answer was received. */
  public int status() {
    return status;
  }

  /** The request field at fault, or null. */
  public String field() {
    return field;
  }
}
