package io.mschedule.protocol.message;

/**
 * Which of a script's output streams some bytes came from; on the wire {@code stdout}, {@code
 * stderr}.
 */
public enum StdStream {
  STDOUT("stdout"),
  STDERR("stderr");

  private final String wire;

  StdStream(String wire) {
    this.wire = wire;
  }

  public String wireName() {
    return wire;
  }

  /** The stream named {@code name}; null (absent) is stdout, as older agents mean it. */
  public static StdStream fromWire(String name) {
    if (name == null || name.equals("stdout")) {
      return STDOUT;
    }
    if (name.equals("stderr")) {
      return STDERR;
    }
    throw new IllegalArgumentException("expected \"stdout\" or \"stderr\", got '" + name + "'");
  }
}
