package io.mschedule.cli.client;

/** No HTTP answer from the master: connection refused, unknown host, timeout, reset. */
public class MasterUnreachableException extends ApiException {
  private static final long serialVersionUID = 1L;

  private final String url;

  public MasterUnreachableException(String url, String reason, Throwable cause) {
    super(0, "cannot reach the mschedule master at " + url + ": " + reason, null, cause);
    this.url = url;
  }

  /** The URL that could not be reached. */
  public String url() {
    return url;
  }
}
