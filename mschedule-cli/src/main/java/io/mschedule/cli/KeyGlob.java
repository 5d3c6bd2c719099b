package io.mschedule.cli;

import io.mschedule.cli.client.Agent;
import io.mschedule.cli.client.AgentKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A glob over agent keys, like salt-key's: {@code *} any characters, {@code ?} one; it matches a
 * key when it matches the agent id or the agent's hostname (case-insensitive).
 */
final class KeyGlob {
  private final Pattern pattern;

  KeyGlob(String glob) {
    StringBuilder re = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    this.pattern = Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE);
  }

  /** True when {@code text} holds a glob character. */
  static boolean isGlob(String text) {
    return text.indexOf('*') >= 0 || text.indexOf('?') >= 0;
  }

  /** The keys in {@code state} that match, each with the hostname it is known by (or null). */
  List<Match> select(List<AgentKey> keys, List<Agent> agents, String state) {
    Map<String, String> hostnames = new HashMap<>();
    for (Agent a : agents) {
      if (a.id() != null && a.hostname() != null) {
        hostnames.put(a.id(), a.hostname());
      }
    }
    List<Match> out = new ArrayList<>();
    for (AgentKey k : keys) {
      if (k.agentId() == null || !state.equalsIgnoreCase(String.valueOf(k.state()))) {
        continue;
      }
      String host = hostnames.get(k.agentId());
      if (matches(k.agentId()) || (host != null && matches(host))) {
        out.add(new Match(k.agentId(), host));
      }
    }
    return out;
  }

  private boolean matches(String text) {
    return pattern.matcher(text.toLowerCase(Locale.ROOT)).matches()
        || pattern.matcher(text).matches();
  }

  /** A matching key: its agent and that agent's hostname (null when unknown). */
  record Match(String agentId, String hostname) {
    String shown() {
      return hostname == null ? agentId : hostname + " (" + agentId + ")";
    }
  }
}
