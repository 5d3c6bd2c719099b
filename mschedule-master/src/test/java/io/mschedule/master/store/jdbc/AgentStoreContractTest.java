package io.mschedule.master.store.jdbc;

import static io.mschedule.master.store.jdbc.TestData.agent;
import static io.mschedule.master.store.jdbc.TestData.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.mschedule.master.store.AgentRecord;
import io.mschedule.master.store.AgentStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@link AgentStore} contract; one empty subclass per database. */
abstract class AgentStoreContractTest extends StoreContractSupport {
  AgentStore store;

  @BeforeEach
  void store() {
    store = db.agentStore();
  }

  @Test
  void upserted_agent_is_found_with_unicode_labels_and_ips() {
    var agent =
        new AgentRecord(
            "4f0c9e8a2b3d4c5e8f9a0b1c2d3e4f50",
            "wéb-01.例え.jp",
            List.of("10.1.2.3", "fe80::1%eth0", "192.168.0.7"),
            Map.of(
                "role", "web",
                "dc", "北京-1",
                "emoji", "\uD83D\uDE80",
                "odd,key=\"x\"", "va;ue 'quoted' \\ back\nslash"),
            "0.1.0",
            at(0),
            at(1));

    store.upsert(agent);

    assertThat(store.find(agent.id())).contains(agent);
  }

  @Test
  void empty_ip_list_and_labels_and_missing_version_round_trip() {
    var agent = new AgentRecord("a1", "host", List.of(), Map.of(), null, at(0), at(0));

    store.upsert(agent);

    assertThat(store.find("a1")).contains(agent);
  }

  @Test
  void the_name_round_trips_and_a_deleted_agent_is_gone() {
    var named = new AgentRecord("a1", "clone", List.of(), Map.of(), "1", at(0), at(0), "batch-a");
    store.upsert(named);
    store.upsert(new AgentRecord("a2", "clone", List.of(), Map.of(), "1", at(0), at(0)));

    assertThat(store.find("a1")).contains(named);
    assertThat(store.find("a2").orElseThrow().name()).isNull();

    assertThat(store.delete("a1")).isTrue();
    assertThat(store.delete("a1")).isFalse();
    assertThat(store.findAll()).extracting(AgentRecord::id).containsExactly("a2");
  }

  @Test
  void upsert_of_a_known_agent_replaces_it_but_keeps_first_seen() {
    store.upsert(agent("a1", at(0), at(0)));
    var changed =
        new AgentRecord(
            "a1", "renamed", List.of("10.9.9.9"), Map.of("role", "db"), "0.2.0", at(50), at(60));

    store.upsert(changed);

    assertThat(store.find("a1"))
        .contains(
            new AgentRecord(
                "a1",
                "renamed",
                List.of("10.9.9.9"),
                Map.of("role", "db"),
                "0.2.0",
                at(0),
                at(60)));
    assertThat(store.findAll()).hasSize(1);
  }

  @Test
  void concurrent_upserts_of_a_new_agent_both_succeed() throws Exception {
    var pool = Executors.newFixedThreadPool(2);
    try {
      for (var i = 0; i < 20; i++) {
        var id = "a" + i;
        var barrier = new CyclicBarrier(2);
        var first = pool.submit(upsertAfter(barrier, agent(id, at(1), at(1))));
        var second = pool.submit(upsertAfter(barrier, agent(id, at(2), at(2))));

        first.get(30, TimeUnit.SECONDS);
        second.get(30, TimeUnit.SECONDS);

        assertThat(store.find(id).orElseThrow().firstSeen()).isIn(at(1), at(2));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void overlapping_batches_of_new_and_known_agents_are_all_stored() throws Exception {
    store.upsert(agent("k", at(0), at(0)));
    var pool = Executors.newFixedThreadPool(2);
    try {
      for (var i = 0; i < 10; i++) {
        var barrier = new CyclicBarrier(2);
        var one =
            List.of(
                agent("x" + i, at(1), at(1)),
                agent("k", at(5), at(5)),
                agent("y" + i, at(1), at(1)));
        var two = List.of(agent("y" + i, at(2), at(2)), agent("x" + i, at(2), at(2)));
        var first = pool.submit(batchAfter(barrier, one));
        var second = pool.submit(batchAfter(barrier, two));
        first.get(30, TimeUnit.SECONDS);
        second.get(30, TimeUnit.SECONDS);
        assertThat(store.find("x" + i).orElseThrow().firstSeen()).isIn(at(1), at(2));
        assertThat(store.find("y" + i).orElseThrow().firstSeen()).isIn(at(1), at(2));
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.find("k").orElseThrow().firstSeen()).isEqualTo(at(0));
    assertThat(store.find("k").orElseThrow().lastSeen()).isEqualTo(at(5));
    assertThat(store.findAll()).hasSize(21);
  }

  private Callable<Void> batchAfter(CyclicBarrier barrier, List<AgentRecord> agents) {
    return () -> {
      barrier.await(30, TimeUnit.SECONDS);
      store.upsertAll(agents);
      return null;
    };
  }

  @Test
  void find_all_lists_every_agent_by_id() {
    store.upsert(agent("b", at(0), at(1)));
    store.upsert(agent("c", at(0), at(2)));
    store.upsert(agent("a", at(0), at(3)));

    assertThat(store.findAll()).extracting(AgentRecord::id).containsExactly("a", "b", "c");
  }

  @Test
  void unknown_agent_is_not_found() {
    assertThat(store.find("nope")).isEmpty();
    assertThat(store.findAll()).isEmpty();
  }

  @Test
  void touch_sets_last_seen_of_many_agents_and_ignores_unknown_ids() {
    store.upsert(agent("a1", at(0), at(0)));
    store.upsert(agent("a2", at(0), at(0)));
    store.upsert(agent("a3", at(0), at(0)));

    store.touch(Map.of("a1", at(10), "a3", at(30), "unknown", at(99)));

    assertThat(store.findAll())
        .extracting(AgentRecord::id, AgentRecord::lastSeen)
        .containsExactly(tuple("a1", at(10)), tuple("a2", at(0)), tuple("a3", at(30)));
    assertThat(store.find("unknown")).isEmpty();
    assertThat(store.find("a1").orElseThrow().firstSeen()).isEqualTo(at(0));
  }

  @Test
  void touch_with_nothing_does_nothing() {
    store.upsert(agent("a1", at(0), at(0)));

    store.touch(Map.of());

    assertThat(store.find("a1")).contains(agent("a1", at(0), at(0)));
  }

  @Test
  void touch_handles_a_large_batch() {
    var lastSeen = new HashMap<String, Instant>();
    for (var i = 0; i < 200; i++) {
      store.upsert(agent(String.format("a%03d", i), at(0), at(0)));
      lastSeen.put(String.format("a%03d", i), at(i));
    }

    store.touch(lastSeen);

    assertThat(store.findAll())
        .allSatisfy(a -> assertThat(a.lastSeen()).isEqualTo(lastSeen.get(a.id())));
  }

  private Callable<Void> upsertAfter(CyclicBarrier barrier, AgentRecord agent) {
    return () -> {
      barrier.await(10, TimeUnit.SECONDS);
      store.upsert(agent);
      return null;
    };
  }

  @Test
  void agents_survive_a_reopen() {
    var agent = agent("a1", at(0), at(1));
    store.upsert(agent);

    reopen();

    assertThat(db.agentStore().find("a1")).contains(agent);
  }
}
