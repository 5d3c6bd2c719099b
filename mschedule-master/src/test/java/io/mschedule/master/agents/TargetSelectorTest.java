package io.mschedule.master.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mschedule.master.store.jdbc.Database;
import io.mschedule.master.store.jdbc.TestDatabase;
import io.mschedule.master.task.BadRequestException;
import io.mschedule.protocol.message.MessageTypes;
import io.mschedule.protocol.message.Register;
import io.mschedule.protocol.test.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TargetSelectorTest {
  private static AgentView agent(
      String id, String host, String name, boolean online, String key, Map<String, String> labels) {
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
        key,
        name);
  }

  private static final String OK = AgentView.KEY_ACCEPTED;
  private static final String PENDING = AgentView.KEY_PENDING;

  private static final List<AgentView> fleet =
      List.of(
          agent("a1", "web-01", null, true, OK, Map.of("role", "web", "dc", "east")),
          agent("a2", "web-02", null, true, OK, Map.of("role", "web", "dc", "west")),
          agent("a3", "web-03", null, true, OK, Map.of("role", "webcache", "dc", "east")),
          agent("a4", "db-01", null, true, OK, Map.of("role", "db", "dc", "east")),
          agent("a5", "web-04", null, false, OK, Map.of("role", "web")),
          agent("a6", "web-05", null, true, PENDING, Map.of("role", "web")),
          agent("a7", "clone", "batch-a", true, OK, Map.of()),
          agent("a8", "clone", "batch-b", true, OK, Map.of()),
          agent("a9", "new-01", null, true, PENDING, Map.of("role", "new")),
          agent("a10", "new-02", null, false, PENDING, Map.of("role", "new")));

  @TempDir static Path dir;
  static Database db;

  /**
   * The same fleet in a registry: its offline agents loaded from the store, the others registered.
   */
  static AgentRegistry registry;

  @BeforeAll
  static void registerTheFleet() {
    db = Database.open(TestDatabase.migratedH2(dir, 2));
    TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
    AgentRegistry before = new AgentRegistry(db.agentStore(), clock, Duration.ofMinutes(1));
    fleet.forEach(a -> before.register(registerOf(a)));
    registry = new AgentRegistry(db.agentStore(), clock, Duration.ofMinutes(1));
    fleet.stream().filter(AgentView::online).forEach(a -> registry.register(registerOf(a)));
    Map<String, String> keys = new java.util.HashMap<>();
    fleet.forEach(a -> keys.put(a.id(), a.key()));
    registry.keyStates(keys::get);
  }

  @AfterAll
  static void closeDb() {
    db.close();
  }

  private static Register registerOf(AgentView a) {
    return new Register(
        a.id(),
        a.hostname(),
        List.of(),
        a.labels(),
        "1",
        MessageTypes.PROTOCOL_VERSION,
        List.of(),
        null,
        a.name());
  }

  /**
   * What {@code targets} select from {@link #fleet}. The registry's path (views built only for the
   * agents a union term matches) must give what the whole sorted fleet gives, error included.
   */
  private List<String> ids(String... targets) {
    List<String> t = List.of(targets);
    assertThat(outcome(() -> TargetSelector.select(t, registry)))
        .as("the registry's filtered path for %s", t)
        .isEqualTo(outcome(() -> TargetSelector.select(t, registry.all())));
    return TargetSelector.select(t, fleet).stream().map(AgentView::id).toList();
  }

  private static String outcome(java.util.function.Supplier<List<AgentView>> select) {
    try {
      return select.get().stream().map(AgentView::id).toList().toString();
    } catch (BadRequestException e) {
      return e.getMessage();
    }
  }

  @Test
  void the_registry_holds_the_same_fleet_and_filters_before_it_builds_views() {
    assertThat(registry.all())
        .extracting(AgentView::id, AgentView::online, AgentView::key, AgentView::displayName)
        .containsExactlyInAnyOrderElementsOf(
            fleet.stream()
                .map(
                    a ->
                        org.assertj.core.groups.Tuple.tuple(
                            a.id(), a.online(), a.key(), a.displayName()))
                .toList());
    assertThat(registry.all(r -> r.hostname().equals("clone")))
        .extracting(AgentView::id)
        .containsExactly("a7", "a8"); // sorted by name as all() is: batch-a, batch-b
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "all                          | a1 a2 a3 a4 a7 a8",
        "web*                         | a1 a2 a3",
        "a4                           | a4",
        "dc=east                      | a1 a3 a4",
        "role=web*                    | a1 a2 a3",
        "role=web                     | a1 a2",
        "web*:db*                     | a1 a2 a3 a4",
        "web*:&dc=east                | a1 a3",
        "web*:!web-03                 | a1 a2",
        "web*:&datacenter=east        | ",
        "web*:&dc=east:!web-03        | a1",
        "all:!dc=east                 | a2 a7 a8",
        "batch-*                      | a7 a8",
        "clone:!batch-b               | a7",
        "web-0?:&role=web:!a2         | a1",
        "web-01                       | a1",
        "role=webcache                | a3",
        "web-0.                       | ",
        "web-0[1]                     | ",
        "batch-a                      | a7",
      })
  void patterns_combine_union_intersection_and_exclusion(String target, String expected) {
    List<String> want = expected == null ? List.of() : List.of(expected.trim().split(" +"));
    if (want.isEmpty()) {
      assertThatThrownBy(() -> ids(target))
          .isInstanceOf(BadRequestException.class)
          .hasMessage("targets: '" + target + "' matches no online agent");
    } else {
      assertThat(ids(target)).containsExactlyElementsOf(want);
    }
  }

  @Test
  void unions_come_first_then_intersections_then_exclusions_whatever_the_order() {
    // written with the exclusion first: web-03 is still excluded after the union with db-01
    assertThat(ids("web*:!web-03:db*")).containsExactly("a1", "a2", "a4");
    // the intersection applies to the whole union, db-01 included
    assertThat(ids("web*:&dc=east:db*")).containsExactly("a1", "a3", "a4");
  }

  @Test
  void several_targets_are_a_union() {
    assertThat(ids("a4", "role=web", "web-0?")).containsExactly("a4", "a1", "a2", "a3");
  }

  @Test
  void a_target_matching_only_pending_agents_says_how_to_accept_them() {
    assertThatThrownBy(() -> ids("new-*"))
        .hasMessage(
            "targets: 'new-*' matches only agents whose key is pending: 2;"
                + " accept them with mschedule keys accept ID");
    assertThat(ids("web-0*")).doesNotContain("a6");
    assertThatThrownBy(() -> ids("a6"))
        .hasMessage(
            "targets: 'a6' matches only agents whose key is pending: 1;"
                + " accept them with mschedule keys accept ID");
  }

  @Test
  void a_target_that_matches_nothing_is_an_error_naming_it() {
    assertThatThrownBy(() -> ids("all", "cache*"))
        .isInstanceOf(BadRequestException.class)
        .hasMessage("targets: 'cache*' matches no online agent");
    assertThatThrownBy(() -> ids("web-04")).hasMessage("targets: 'web-04' matches no online agent");
    assertThatThrownBy(() -> TargetSelector.select(List.of(), fleet))
        .hasMessage("targets: at least one target is required");
    assertThatThrownBy(() -> TargetSelector.select(List.of("all"), List.of()))
        .hasMessage("targets: no agent is online");
  }

  @Test
  void malformed_patterns_are_refused_with_an_example() {
    assertThatThrownBy(() -> ids("web*::db*"))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("'web*::db*' has an empty term")
        .hasMessageContaining("':&' (and)");
    assertThatThrownBy(() -> ids("web*:&")).hasMessageContaining("has an empty term");
    assertThatThrownBy(() -> ids("!web-03")).hasMessageContaining("selects nothing");
    assertThatThrownBy(() -> ids(" ")).hasMessage("targets: an empty target is not allowed");
  }

  @Test
  void preview_counts_pending_matches_and_reports_errors_without_failing() {
    TargetSelection s = TargetSelector.preview(List.of("role=web*", "role=new"), fleet);
    assertThat(s.agents()).extracting(AgentView::id).containsExactly("a1", "a2", "a3");
    assertThat(s.pending()).isEqualTo(3);
    assertThat(s.errors())
        .containsExactly(
            "targets: 'role=new' matches only agents whose key is pending: 2;"
                + " accept them with mschedule keys accept ID");
  }

  @Test
  void a_pending_agent_shows_as_pending_and_a_named_one_by_its_name() {
    assertThat(fleet.get(5).state()).isEqualTo("pending");
    assertThat(fleet.get(4).state()).isEqualTo("offline");
    assertThat(fleet.get(6).displayName()).isEqualTo("batch-a");
    assertThat(fleet.get(0).displayName()).isEqualTo("web-01");
  }
}
