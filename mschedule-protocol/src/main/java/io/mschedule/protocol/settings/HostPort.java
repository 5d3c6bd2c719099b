package io.mschedule.protocol.settings;

/** A {@code HOST:PORT} setting; port 0 asks the system for a free port. */
public record HostPort(String host, int port) {
  @Override
  public String toString() {
    return host + ":" + port;
  }
}
