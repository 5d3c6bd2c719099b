package io.mschedule.master.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Where other machines reach this master, when the settings do not say: this host's name. */
public final class Advertised {
  private Advertised() {}

  /** {@code tcp://HOST:PORT} for agents; a wildcard bind address becomes this host's name. */
  public static String agentEndpoint(String configured, String bind, int port) {
    if (configured != null) {
      return configured;
    }
    String host = bind.substring("tcp://".length(), bind.lastIndexOf(':'));
    return "tcp://" + reachable(host) + ":" + port;
  }

  /** The API's base URL; a wildcard bind address becomes this host's name. */
  public static String apiUrl(String configured, String host, int port, boolean tls) {
    if (configured != null) {
      return configured;
    }
    return (tls ? "https" : "http") + "://" + reachable(host) + ":" + port;
  }

  static String reachable(String host) {
    if (!host.equals("0.0.0.0") && !host.equals("*") && !host.equals("::")) {
      return host;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return host;
    }
  }
}
