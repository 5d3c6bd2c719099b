package io.mschedule.master.agents;

import io.mschedule.master.store.AgentRecord;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One term of a target pattern: {@code all}, an agent id, a label {@code k=v} whose value may be a
 * glob ({@code role=web*}), or a glob ({@code *}, {@code ?}) on the agent's name or hostname.
 */
final class TargetTerm {
  private static final String ALL = "all";

  private final String text;
  private final String labelKey;
  private final Predicate<String> value;

  private TargetTerm(String text, String labelKey, Predicate<String> value) {
    this.text = text;
    this.labelKey = labelKey;
    this.value = value;
  }

  static TargetTerm parse(String text) {
    int eq = text.indexOf('=');
    if (eq > 0) {
      return new TargetTerm(
          text, text.substring(0, eq).trim(), glob(text.substring(eq + 1).trim()));
    }
    return new TargetTerm(text, null, glob(text));
  }

  boolean isAll() {
    return ALL.equals(text);
  }

  boolean matches(AgentView a) {
    return matches(a.id(), a.name(), a.hostname(), a.labels());
  }

  /** The same test on what the registry stores of an agent, before any view of it is built. */
  boolean matches(AgentRecord r) {
    return matches(r.id(), r.name(), r.hostname(), r.labels());
  }

  private boolean matches(String id, String name, String hostname, Map<String, String> labels) {
    if (isAll() || text.equals(id)) {
      return true;
    }
    if (labelKey != null) {
      String v = labels.get(labelKey);
      return v != null && value.test(v);
    }
    return (name != null && value.test(name)) || (hostname != null && value.test(hostname));
  }

  /** A glob's test; one without {@code *} or {@code ?} is a plain comparison (no regex to run). */
  private static Predicate<String> glob(String glob) {
    if (glob.indexOf('*') < 0 && glob.indexOf('?') < 0) {
      return glob::equals;
    }
    StringBuilder re = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString()).asMatchPredicate();
  }

  @Override
  public String toString() {
    return text;
  }
}
