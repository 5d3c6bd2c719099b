package io.mschedule.master.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Whether a bind host keeps a listener on this machine. */
public final class Loopback {
  private Loopback() {}

  /** True for {@code localhost} and loopback addresses; false for wildcards and other hosts. */
  public static boolean is(String host) {
    if (host == null || host.isBlank()) {
      return false;
    }
    String h = host.trim();
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.equalsIgnoreCase("localhost")) {
      return true;
    }
    try {
      // literal addresses only: no name lookup at start-up
      if (!h.matches("[0-9.]+|[0-9A-Fa-f:]+")) {
        return false;
      }
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
