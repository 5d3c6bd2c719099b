package io.mschedule.agent.host;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The host name and the usable IPv4 addresses of this host. */
public record HostFacts(String hostname, List<String> ip) {
  public HostFacts {
    ip = List.copyOf(ip);
  }

  /** Reads the facts now (a few milliseconds: call it on a slow timer, not per heartbeat). */
  public static HostFacts read() {
    return new HostFacts(readHostname(), readUsableIpv4());
  }

  static String readHostname() {
    try {
      Path kernel = Path.of("/proc/sys/kernel/hostname");
      if (Files.isReadable(kernel)) {
        String h = Files.readString(kernel, StandardCharsets.UTF_8).trim();
        if (!h.isEmpty()) {
          return h;
        }
      }
    } catch (IOException e) {
      // fall through
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  static List<String> readUsableIpv4() {
    List<String> out = new ArrayList<>();
    try {
      for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InetAddress a : Collections.list(nif.getInetAddresses())) {
          if (a instanceof Inet4Address v4 && usable(v4)) {
            out.add(v4.getHostAddress());
          }
        }
      }
    } catch (SocketException e) {
      return List.of();
    }
    Collections.sort(out);
    return out;
  }

  /** No loopback, link-local, multicast, unspecified or reserved (240.0.0.0/4) addresses. */
  public static boolean usable(Inet4Address a) {
    int first = a.getAddress()[0] & 0xff;
    return !a.isLoopbackAddress()
        && !a.isLinkLocalAddress()
        && !a.isMulticastAddress()
        && !a.isAnyLocalAddress()
        && first != 0
        && first < 240;
  }
}
