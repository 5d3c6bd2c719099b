package io.mschedule.master.agents;

import io.mschedule.master.store.AgentRecord;
import io.mschedule.master.task.BadRequestException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One target pattern in the manner of Ansible: terms joined by {@code :} (union), {@code :&}
 * (intersection) and {@code :!} (exclusion), e.g. {@code web*:&datacenter=east:!web-03}. As in
 * Ansible, the unions are taken first, then the intersections, then the exclusions, whatever their
 * order in the text. A pattern that starts with {@code &} or {@code !} starts from the union of
 * nothing, so it selects nothing; the parser refuses it.
 */
public final class TargetPattern {
  private final String text;
  private final List<TargetTerm> unions;
  private final List<TargetTerm> intersections;
  private final List<TargetTerm> exclusions;

  private TargetPattern(
      String text,
      List<TargetTerm> unions,
      List<TargetTerm> intersections,
      List<TargetTerm> exclusions) {
    this.text = text;
    this.unions = unions;
    this.intersections = intersections;
    this.exclusions = exclusions;
  }

  /**
   * Parses {@code raw}; throws {@link BadRequestException} (field {@code targets}) naming the
   * fault.
   */
  public static TargetPattern parse(String raw) {
    String text = raw == null ? "" : raw.trim();
    if (text.isEmpty()) {
      throw bad("an empty target is not allowed");
    }
    List<TargetTerm> unions = new ArrayList<>();
    List<TargetTerm> intersections = new ArrayList<>();
    List<TargetTerm> exclusions = new ArrayList<>();
    for (String part : text.split(":", -1)) {
      String p = part.trim();
      List<TargetTerm> into = unions;
      if (p.startsWith("&")) {
        into = intersections;
        p = p.substring(1).trim();
      } else if (p.startsWith("!")) {
        into = exclusions;
        p = p.substring(1).trim();
      }
      if (p.isEmpty()) {
        throw bad(
            "'"
                + text
                + "' has an empty term; join terms with ':' (or), ':&' (and) or ':!' (not),"
                + " e.g. 'web*:&dc=east:!web-03'");
      }
      into.add(TargetTerm.parse(p));
    }
    if (unions.isEmpty()) {
      throw bad(
          "'"
              + text
              + "' has only '&' or '!' terms, so it selects nothing; start with what to take,"
              + " e.g. 'all:!web-03'");
    }
    return new TargetPattern(text, List.copyOf(unions), intersections, exclusions);
  }

  /** The agents the pattern selects, in the order of the union terms and then of {@code agents}. */
  public List<AgentView> select(List<AgentView> agents) {
    Map<String, AgentView> chosen = new LinkedHashMap<>();
    for (TargetTerm t : unions) {
      for (AgentView a : agents) {
        if (t.matches(a)) {
          chosen.putIfAbsent(a.id(), a);
        }
      }
    }
    for (TargetTerm t : intersections) {
      chosen.values().removeIf(a -> !t.matches(a));
    }
    for (TargetTerm t : exclusions) {
      chosen.values().removeIf(t::matches);
    }
    return List.copyOf(chosen.values());
  }

  /**
   * Whether the pattern can select this agent: one of its union terms matches it (intersections and
   * exclusions only take agents away). Agents for which this is false need no view built.
   */
  boolean mayTake(AgentRecord r) {
    for (TargetTerm t : unions) {
      if (t.matches(r)) {
        return true;
      }
    }
    return false;
  }

  /** True when the pattern is just {@code all}. */
  public boolean isAll() {
    return unions.size() == 1
        && unions.get(0).isAll()
        && intersections.isEmpty()
        && exclusions.isEmpty();
  }

  @Override
  public String toString() {
    return text;
  }

  private static BadRequestException bad(String message) {
    return new BadRequestException("targets", "targets: " + message);
  }
}
