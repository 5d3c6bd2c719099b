package io.mschedule.master.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mschedule.master.agents.AgentView;
import io.mschedule.master.agents.TargetSelector;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DispatchRulesTest {
  private static AgentView agent(
      String id, String host, boolean online, Map<String, String> labels) {
    return new AgentView(
        id,
        host,
        List.of(),
        labels,
        "1",
        online,
        Instant.EPOCH,
        Instant.EPOCH,
        Set.of(),
        id.equals("a5") ? "pending" : AgentView.KEY_ACCEPTED);
  }

  private final List<AgentView> fleet =
      List.of(
          agent("a1", "web-01", true, Map.of("role", "web", "dc", "bj1")),
          agent("a2", "web-02", true, Map.of("role", "web", "dc", "sh1")),
          agent("a3", "db-01", true, Map.of("role", "db", "dc", "bj1")),
          agent("a4", "web-03", false, Map.of("role", "web")),
          agent("a5", "web-05", true, Map.of("role", "web")));

  @Test
  void targets_select_online_agents_as_a_union() {
    assertThat(TargetSelector.select(List.of("all"), fleet))
        .extracting(AgentView::id)
        .containsExactly("a1", "a2", "a3");
    assertThat(TargetSelector.select(List.of("web*"), fleet))
        .extracting(AgentView::id)
        .containsExactly("a1", "a2");
    assertThat(TargetSelector.select(List.of("dc=bj1"), fleet))
        .extracting(AgentView::id)
        .containsExactly("a1", "a3");
    assertThat(TargetSelector.select(List.of("a3", "role=web", "web-0?"), fleet))
        .extracting(AgentView::id)
        .containsExactly("a3", "a1", "a2");
  }

  @Test
  void agents_with_a_pending_key_are_never_selected() {
    assertThat(TargetSelector.select(List.of("web-0*"), fleet))
        .extracting(AgentView::id)
        .doesNotContain("a5");
    assertThatThrownBy(() -> TargetSelector.select(List.of("a5"), fleet))
        .hasMessage("targets: 'a5' matches no online agent");
  }

  @Test
  void a_target_that_matches_nothing_is_an_error_naming_it() {
    assertThatThrownBy(() -> TargetSelector.select(List.of("all", "cache*"), fleet))
        .isInstanceOf(BadRequestException.class)
        .hasMessage("targets: 'cache*' matches no online agent");
    assertThatThrownBy(() -> TargetSelector.select(List.of("web-03"), fleet))
        .hasMessage("targets: 'web-03' matches no online agent");
    assertThatThrownBy(() -> TargetSelector.select(List.of(), fleet))
        .hasMessage("targets: at least one target is required");
  }

  @Test
  void parallel_is_a_count_or_a_share_rounded_up() {
    assertThat(Parallelism.resolve(null, 10)).isEqualTo(1);
    assertThat(Parallelism.resolve(3L, 10)).isEqualTo(3);
    assertThat(Parallelism.resolve(0L, 10)).isEqualTo(0);
    assertThat(Parallelism.resolve("25%", 10)).isEqualTo(3);
    assertThat(Parallelism.resolve("1%", 5)).isEqualTo(1);
    assertThat(Parallelism.resolve("100%", 7)).isEqualTo(7);
    for (Object bad : List.of(-1L, "-1", "0%", "101%", "abc", 1.5)) {
      assertThatThrownBy(() -> Parallelism.resolve(bad, 10))
          .isInstanceOf(BadRequestException.class)
          .extracting(e -> ((BadRequestException) e).field())
          .isEqualTo("parallel");
    }
  }

  /**
   * The table of docs/tasks.md ("Failure thresholds"): fail_count, fail_rate (null = unset),
   * failures out of 5 runs, whether the task aborts.
   */
  @org.junit.jupiter.params.ParameterizedTest(name = "fail_count={0} fail_rate={1} failures={2}")
  @org.junit.jupiter.params.provider.CsvSource(
      nullValues = "unset",
      value = {
        "unset, unset, 5, false",
        "-1,    unset, 5, false",
        "-1,    0.0,   5, false",
        "0,     unset, 1, true",
        "1,     unset, 1, false",
        "1,     unset, 2, true",
        "unset, 0.5,   2, false",
        "unset, 0.5,   3, true",
        "unset, 0.0,   1, true",
        "unset, 0.4,   2, false",
        "10,    0.5,   3, true",
        "1,     0.9,   2, true",
        "2,     0.2,   2, true",
      })
  void each_threshold_works_on_its_own(
      Integer failCount, Double failRate, int failures, boolean aborts) {
    assertThat(FailureThreshold.check(failCount, failRate, failures, 5) != null).isEqualTo(aborts);
  }

  @Test
  void the_abort_reason_names_the_threshold_and_the_figures() {
    assertThat(FailureThreshold.check(1, null, 2, 5))
        .isEqualTo("fail_count 1 exceeded: 2 of 5 runs failed");
    assertThat(FailureThreshold.check(10, 0.5, 3, 5))
        .isEqualTo("fail_rate 0.5 exceeded: 3 of 5 runs failed (0.6)");
    assertThat(FailureThreshold.check(null, 0.0, 1, 5))
        .isEqualTo("fail_rate 0.0 exceeded: 1 of 5 runs failed (0.2)");
  }
}
