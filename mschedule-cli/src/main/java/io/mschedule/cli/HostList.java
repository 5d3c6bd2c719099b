package io.mschedule.cli;

import io.mschedule.cli.client.TargetPreview;
import java.util.HashMap;
import java.util.Map;

/** The text of {@code mschedule run --list-hosts}, in the manner of Ansible's. */
final class HostList {
  private HostList() {}

  /**
   * {@code hosts (N):} then one name per line; a name shared by several agents (cloned hosts) is
   * followed by the agent id. Agents whose key is pending are counted at the end.
   */
  static String render(TargetPreview preview) {
    Map<String, Integer> seen = new HashMap<>();
    preview.agents().forEach(h -> seen.merge(h.displayName(), 1, Integer::sum));
    StringBuilder sb = new StringBuilder();
    sb.append("  hosts (").append(preview.agents().size()).append("):\n");
    for (TargetPreview.Host h : preview.agents()) {
      sb.append("    ").append(h.displayName());
      if (seen.get(h.displayName()) > 1) {
        sb.append(" (").append(h.id()).append(')');
      }
      sb.append('\n');
    }
    if (preview.pending() > 0) {
      sb.append("  not included: ")
          .append(preview.pending())
          .append(preview.pending() == 1 ? " agent" : " agents")
          .append(" whose key is pending (accept with mschedule keys accept ID)\n");
    }
    return sb.toString();
  }
}
