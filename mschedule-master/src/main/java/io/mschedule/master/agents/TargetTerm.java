package io.mschedule.master.agents;

import java.util.regex.Pattern;

/**
 * One term of a target pattern: {@code all}, an agent id, a label {@code k=v} whose value may be a
 * glob ({@code role=web*}), or a glob ({@code *}, {@code ?}) on the agent's name or hostname.
 */
final class TargetTerm {
  private static final String ALL = "all";

  private final String text;
  private final String labelKey;
  private final Pattern glob;

  private TargetTerm(String text, String labelKey, Pattern glob) {
    this.text = text;
    this.labelKey = labelKey;
    this.glob = glob;
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
    if (isAll() || text.equals(a.id())) {
      return true;
    }
    if (labelKey != null) {
      String value = a.labels().get(labelKey);
      return value != null && glob.matcher(value).matches();
    }
    return (a.name() != null && glob.matcher(a.name()).matches())
        || (a.hostname() != null && glob.matcher(a.hostname()).matches());
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

  @Override
  public String toString() {
    return text;
  }
}
