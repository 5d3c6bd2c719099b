package io.mschedule.master.agents;

import io.mschedule.master.store.AgentRecord;
import io.mschedule.master.task.BadRequestException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves targets to online agents whose key is accepted. Each target is a {@link TargetPattern}
 * ({@code web*:&dc=east:!web-03}); several targets make a union. A target that selects no online
 * agent is an error, which says so when it matches only agents whose key is pending.
 */
public final class TargetSelector {
  private TargetSelector() {}

  /** The agents to run on; throws {@link BadRequestException} when a target selects none. */
  public static List<AgentView> select(List<String> targets, List<AgentView> agents) {
    return orFail(preview(targets, agents));
  }

  /**
   * {@link #select(List, List)} on the registry's agents, of which only those a target's union
   * terms match are looked at (views built, sorted): selecting one agent by id does not walk views
   * of the whole fleet.
   */
  public static List<AgentView> select(List<String> targets, AgentRegistry registry) {
    return orFail(preview(targets, registry));
  }

  /**
   * What {@code targets} select, without failing when a target selects nothing (the error it would
   * give is in {@link TargetSelection#errors()}); a target that cannot be parsed still throws.
   */
  public static TargetSelection preview(List<String> targets, List<AgentView> agents) {
    return choose(parse(targets), agents);
  }

  /** {@link #preview(List, List)} on the registry's agents that a target may select. */
  public static TargetSelection preview(List<String> targets, AgentRegistry registry) {
    List<TargetPattern> patterns = parse(targets);
    return choose(patterns, registry.all(r -> mayTake(patterns, r)));
  }

  private static boolean mayTake(List<TargetPattern> patterns, AgentRecord r) {
    for (TargetPattern p : patterns) {
      if (p.mayTake(r)) {
        return true;
      }
    }
    return false;
  }

  private static List<AgentView> orFail(TargetSelection s) {
    if (!s.errors().isEmpty()) {
      throw new BadRequestException("targets", s.errors().get(0));
    }
    return s.agents();
  }

  private static List<TargetPattern> parse(List<String> targets) {
    if (targets == null || targets.isEmpty()) {
      throw new BadRequestException("targets", "targets: at least one target is required");
    }
    List<TargetPattern> patterns = new ArrayList<>(targets.size());
    for (String raw : targets) {
      patterns.add(TargetPattern.parse(raw));
    }
    return patterns;
  }

  private static TargetSelection choose(List<TargetPattern> patterns, List<AgentView> agents) {
    Map<String, AgentView> chosen = new LinkedHashMap<>();
    Map<String, AgentView> pending = new LinkedHashMap<>();
    List<String> errors = new ArrayList<>();
    for (TargetPattern p : patterns) {
      int matched = 0;
      int pendingMatched = 0;
      for (AgentView a : p.select(agents)) {
        if (a.online() && a.accepted()) {
          chosen.putIfAbsent(a.id(), a);
          matched++;
        } else if (a.pending()) {
          pending.putIfAbsent(a.id(), a);
          pendingMatched++;
        }
      }
      if (matched == 0) {
        errors.add(noMatch(p, pendingMatched));
      }
    }
    return new TargetSelection(List.copyOf(chosen.values()), pending.size(), errors);
  }

  private static String noMatch(TargetPattern p, int pending) {
    if (pending > 0) {
      return "targets: '"
          + p
          + "' matches only agents whose key is pending: "
          + pending
          + "; accept them with mschedule keys accept ID";
    }
    return p.isAll()
        ? "targets: no agent is online"
        : "targets: '" + p + "' matches no online agent";
  }
}
