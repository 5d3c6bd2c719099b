package io.mschedule.master.api;

/** Answered as {@code {"status": S, "error": message, "field": field}}. */
public final class ApiException extends RuntimeException {
  private final int status;
  private final String field;

  public ApiException(int status, String message, String field) {
    super(message);
    this.status = status;
    this.field = field;
  }

  public static ApiException notFound(String what) {
    return new ApiException(404, what + " not found", null);
  }

  public int status() {
    return status;
  }

  public String field() {
    return field;
  }
}
