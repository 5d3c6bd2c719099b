package io.mschedule.master.agents;

import io.mschedule.master.task.BadRequestException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Resolves targets to online agents whose key is accepted. A target is {@code all}, an agent id, a
 * label {@code k=v}, or a hostname glob ({@code *} and {@code ?}). Several targets make a union. A
 * target that matches no online agent is an error.
 */
public final class TargetSelector {
  private TargetSelector() {}

  public static List<AgentView> select(List<String> targets, List<AgentView> agents) {
    if (targets == null || targets.isEmpty()) {
      throw new BadRequestException("targets", "targets: at least one target is required");
    }
    Map<String, AgentView> chosen = new LinkedHashMap<>();
    for (String raw : targets) {
      String target = raw == null ? "" : raw.trim();
      if (target.isEmpty()) {
        throw new BadRequestException("targets", "targets: an empty target is not allowed");
      }
      List<AgentView> matched = new ArrayList<>();
      for (AgentView a : agents) {
        if (a.online() && a.accepted() && matches(target, a)) {
          matched.add(a);
        }
      }
      if (matched.isEmpty()) {
        throw new BadRequestException(
            "targets",
            "all".equals(target)
                ? "targets: no agent is online"
                : "targets: '" + target + "' matches no online agent");
      }
      matched.forEach(a -> chosen.putIfAbsent(a.id(), a));
    }
    return List.copyOf(chosen.values());
  }

  static boolean matches(String target, AgentView a) {
    if ("all".equals(target)) {
      return true;
    }
    if (target.equals(a.id())) {
      return true;
    }
    int eq = target.indexOf('=');
    if (eq > 0) {
      String value = a.labels().get(target.substring(0, eq));
      return value != null && value.equals(target.substring(eq + 1));
    }
    return glob(target).matcher(a.hostname()).matches();
  }

  private static Pattern glob(String glob) {
    StringBuilder re = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString());
  }
}
