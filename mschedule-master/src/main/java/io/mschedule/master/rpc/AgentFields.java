package io.mschedule.master.rpc;

import io.mschedule.protocol.message.BadMessageException;
import io.mschedule.protocol.message.Heartbeat;
import io.mschedule.protocol.message.Register;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What an agent may say about itself: an id of 32 lowercase hex characters, an RFC 1123 hostname,
 * IPv4 addresses and a bounded set of printable labels. Anything else is refused with a {@link
 * BadMessageException} naming the field, before it reaches the registry, the database or a log.
 */
final class AgentFields {
  static final int MAX_LABELS = 64;
  static final int MAX_LABEL_KEY = 63;
  static final int MAX_LABEL_VALUE = 255;
  static final int MAX_IPS = 64;
  static final int MAX_VERSION = 64;
  static final int MAX_HOSTNAME = 253;

  private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");
  private static final Pattern HOST_LABEL =
      Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
  private static final Pattern IPV4 =
      Pattern.compile(
          "(?:(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}"
              + "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])");

  /** Printable: no control characters, no Unicode format characters (bidi overrides included). */
  private static final Pattern PRINTABLE = Pattern.compile("[^\\p{Cntrl}\\p{Cf}]*");

  private AgentFields() {}

  static void check(Register r) {
    agentId("register.payload.id", r.id());
    hostname("register.payload.hostname", r.hostname());
    ips("register.payload.ip", r.ip());
    labels(r.labels());
    if (r.version() != null) {
      printable("register.payload.version", r.version(), MAX_VERSION);
    }
  }

  static void check(Heartbeat h) {
    agentId("heartbeat.payload.id", h.id());
    if (h.hostname() != null) {
      hostname("heartbeat.payload.hostname", h.hostname());
    }
    if (h.ip() != null) {
      ips("heartbeat.payload.ip", h.ip());
    }
  }

  static void agentId(String field, String id) {
    if (!ID.matcher(id).matches()) {
      throw new BadMessageException(
          field + ": an agent id is 32 lowercase hex characters, got " + describe(id));
    }
  }

  private static final Pattern TASK_ID = Pattern.compile("[0-9A-Za-z._-]{1,64}");

  /** A task id as the master makes them (at most 64 characters, no punctuation but . _ -). */
  static void taskId(String field, String id) {
    if (!TASK_ID.matcher(id).matches()) {
      throw new BadMessageException(field + ": not a task id: " + describe(id));
    }
  }

  static void hostname(String field, String host) {
    String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    if (h.isEmpty() || h.length() > MAX_HOSTNAME) {
      throw new BadMessageException(
          field + ": a hostname has 1 to " + MAX_HOSTNAME + " characters, got " + host.length());
    }
    for (String label : h.split("\\.", -1)) {
      if (!HOST_LABEL.matcher(label).matches()) {
        throw new BadMessageException(
            field
                + ": not an RFC 1123 hostname (letters, digits and hyphens in dot-separated"
                + " labels of at most 63 characters): "
                + describe(host));
      }
    }
  }

  static void ips(String field, List<String> ips) {
    if (ips.size() > MAX_IPS) {
      throw new BadMessageException(field + ": at most " + MAX_IPS + " addresses");
    }
    for (int i = 0; i < ips.size(); i++) {
      if (!IPV4.matcher(ips.get(i)).matches()) {
        throw new BadMessageException(
            field + "[" + i + "]: not an IPv4 address: " + describe(ips.get(i)));
      }
    }
  }

  static void labels(Map<String, String> labels) {
    if (labels.size() > MAX_LABELS) {
      throw new BadMessageException(
          "register.payload.labels: at most " + MAX_LABELS + " labels, got " + labels.size());
    }
    for (Map.Entry<String, String> e : labels.entrySet()) {
      printable("register.payload.labels key", e.getKey(), MAX_LABEL_KEY);
      if (e.getKey().isEmpty()) {
        throw new BadMessageException("register.payload.labels: a label key is empty");
      }
      printable("register.payload.labels." + e.getKey(), e.getValue(), MAX_LABEL_VALUE);
    }
  }

  private static void printable(String field, String value, int max) {
    if (value.length() > max) {
      throw new BadMessageException(
          field + ": at most " + max + " characters, got " + value.length());
    }
    if (!PRINTABLE.matcher(value).matches()) {
      throw new BadMessageException(field + ": control characters are not allowed");
    }
  }

  /** A short, escaped rendering of a refused value, safe for a log line or an error message. */
  static String describe(String value) {
    String v = value.length() > 40 ? value.substring(0, 40) + "…" : value;
    StringBuilder sb = new StringBuilder("'");
    v.codePoints()
        .forEach(
            c -> {
              if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                sb.append(String.format("\\u%04x", c));
              } else {
                sb.appendCodePoint(c);
              }
            });
    sb.append("' (").append(value.length()).append(" characters)");
    return sb.toString();
  }
}
