package io.mschedule.master.store.jdbc;

import static io.mschedule.master.store.jdbc.TestData.agent;
import static io.mschedule.master.store.jdbc.TestData.run;
import static io.mschedule.master.store.jdbc.TestData.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mschedule.master.store.RunOrder;
import io.mschedule.master.store.RunOrder.Kind;
import io.mschedule.master.store.RunOrderStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Orders between masters: addressed when picked, picked once, given up when too old. */
abstract class RunOrderStoreContractTest extends StoreContractSupport {
  private static final Duration MINUTE = Duration.ofMinutes(1);

  private RunOrderStore orders;

  @BeforeEach
  void cluster() {
    orders = db.runOrderStore();
    for (String m : List.of("m1", "m2", "m3")) {
      db.masterStore().register(m, "tcp://" + m + ":5555", "http://" + m + ":8080");
    }
    Instant now = Instant.now();
    for (String a : List.of("a1", "a2", "a3")) {
      db.agentStore().upsert(agent(a, now, now));
    }
    db.masterStore().agentsOn(List.of("a1"), "m2");
    db.masterStore().agentsOn(List.of("a2"), "m3");
    db.masterStore().agentsOn(List.of("a3"), "m1");
    db.masterStore().agentsOn(List.of(), "m1"); // nothing to record: no statement
    db.taskStore().insert(task("t1"), List.of(run("t1", "a1", 0), run("t1", "a2", 1)));
  }

  private List<RunOrder> takeAll(String masterId) {
    return orders.take(masterId, 100, MINUTE, o -> true);
  }

  private static List<String> described(List<RunOrder> taken) {
    return taken.stream().map(o -> o.kind() + " " + o.agentId() + " #" + o.attempt()).toList();
  }

  @Test
  void the_masters_of_agents_are_read_all_or_all_but_one_masters() {
    assertThat(db.masterStore().agentMasters(null))
        .containsExactlyInAnyOrderEntriesOf(Map.of("a1", "m2", "a2", "m3", "a3", "m1"));
    assertThat(db.masterStore().agentMasters("m1"))
        .containsExactlyInAnyOrderEntriesOf(Map.of("a1", "m2", "a2", "m3"));
  }

  @Test
  void an_order_goes_to_the_master_holding_the_agent_once() {
    orders.order(Kind.START, "t1", "a1", 1);
    orders.order(Kind.KILL, "t1", "a2", 2);
    orders.order(Kind.KILL, "t1", "a1", 1);

    assertThat(takeAll("m1")).isEmpty();
    assertThat(described(takeAll("m2"))).containsExactly("START a1 #1", "KILL a1 #1");
    assertThat(described(takeAll("m3"))).containsExactly("KILL a2 #2");
    assertThat(takeAll("m2")).isEmpty();
    assertThat(takeAll("m3")).isEmpty();
  }

  @Test
  void a_fan_outs_orders_are_written_together_and_picked_in_order() {
    orders.order(
        List.of(
            new RunOrder(0, Kind.START, "t1", "a1", 1),
            new RunOrder(0, Kind.START, "t1", "a2", 1),
            new RunOrder(0, Kind.KILL, "t1", "a1", 1)));

    assertThat(described(takeAll("m2"))).containsExactly("START a1 #1", "KILL a1 #1");
    assertThat(described(takeAll("m3"))).containsExactly("START a2 #1");
    assertThatThrownBy(() -> orders.order(List.of(new RunOrder(0, Kind.ENDED, "t1", "a1", 1))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void an_order_follows_its_agent_to_another_master_until_it_is_picked() {
    orders.order(Kind.START, "t1", "a1", 1);
    db.masterStore().agentsOn(List.of("a1"), "m3");
    assertThat(takeAll("m2")).isEmpty();
    assertThat(described(takeAll("m3"))).containsExactly("START a1 #1");
  }

  @Test
  void an_order_not_accepted_stays_for_a_later_pass() {
    orders.order(Kind.START, "t1", "a1", 1);
    assertThat(orders.take("m2", 100, MINUTE, o -> false)).isEmpty();
    assertThat(described(takeAll("m2"))).containsExactly("START a1 #1");
  }

  @Test
  void a_pass_takes_at_most_its_limit_oldest_first() {
    orders.order(Kind.START, "t1", "a1", 1);
    orders.order(Kind.KILL, "t1", "a1", 1);
    assertThat(described(orders.take("m2", 1, MINUTE, o -> true))).containsExactly("START a1 #1");
    assertThat(described(orders.take("m2", 1, MINUTE, o -> true))).containsExactly("KILL a1 #1");
  }

  @Test
  void orders_older_than_the_max_age_are_given_up() {
    orders.order(Kind.START, "t1", "a1", 1);
    // a negative age makes the order written a moment ago too old already
    assertThat(orders.take("m2", 100, Duration.ofSeconds(-5), o -> true)).isEmpty();
    assertThat(takeAll("m2")).isEmpty();
  }

  @Test
  void the_end_of_a_run_is_told_to_the_master_driving_the_task_when_another_recorded_it() {
    assertThat(db.leaseStore().claim("t1", "m1", MINUTE)).isPresent();
    orders.ended("t1", "a3", 1, "m1"); // recorded by the master driving the task: nothing to tell
    orders.ended("t1", "a1", 2, "m2");
    assertThat(takeAll("m2")).isEmpty();
    assertThat(described(takeAll("m1"))).containsExactly("ENDED a1 #2");
    assertThat(takeAll("m1")).isEmpty();
  }

  @Test
  void the_end_of_a_run_of_a_task_no_master_drives_is_not_written() {
    orders.ended("t1", "a1", 1, "m2");
    assertThat(db.leaseStore().claim("t1", "m1", MINUTE)).isPresent();
    assertThat(takeAll("m1")).isEmpty();
  }

  @Test
  void an_order_being_picked_by_another_pass_is_skipped() throws Exception {
    orders.order(Kind.START, "t1", "a1", 1);
    orders.order(Kind.KILL, "t1", "a1", 1);
    try (Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery("SELECT id FROM run_orders WHERE kind = 'START' FOR UPDATE")) {
        assertThat(rs.next()).isTrue();
        assertThat(described(takeAll("m2"))).containsExactly("KILL a1 #1");
      } finally {
        c.rollback();
      }
    }
    assertThat(described(takeAll("m2"))).containsExactly("START a1 #1");
  }

  @Test
  void an_agent_linking_here_is_told_its_runs_in_flight_of_tasks_other_masters_drive() {
    var tasks = db.taskStore();
    tasks.insert(task("t2"), List.of(run("t2", "a1", 0)));
    tasks.insert(task("t3"), List.of(run("t3", "a1", 0)));
    for (String t : List.of("t1", "t2", "t3")) {
      var r = tasks.findRun(t, "a1").orElseThrow();
      assertThat(tasks.updateRun(TestData.running(r), r.state())).isTrue();
    }
    assertThat(db.leaseStore().claim("t1", "m1", MINUTE)).isPresent();
    assertThat(db.leaseStore().claim("t2", "m2", MINUTE)).isPresent();
    var t3 = tasks.findTask("t3").orElseThrow();
    tasks.updateTask(
        t3.moveTo(io.mschedule.master.task.TaskState.KILLED, null, TestData.at(5)), t3.state());

    // t2 is driven by m2 itself, t3 ended, a2's run of t1 never started
    assertThat(described(orders.inFlightElsewhere("a1", "m2"))).containsExactly("START a1 #1");
    assertThat(orders.inFlightElsewhere("a1", "m2").get(0).taskId()).isEqualTo("t1");
    assertThat(orders.inFlightElsewhere("a2", "m2")).isEmpty();
    assertThat(orders.inFlightElsewhere("a1", "m1"))
        .extracting(RunOrder::taskId)
        .containsExactly("t2");
  }

  @Test
  void peer_agents_are_those_of_other_live_masters_seen_lately() throws Exception {
    assertThat(orders.peerAgents("m1", MINUTE, MINUTE)).isEqualTo(Map.of("a1", "m2", "a2", "m3"));
    assertThat(orders.peerAgents("m2", MINUTE, MINUTE)).isEqualTo(Map.of("a2", "m3", "a3", "m1"));

    try (Connection c = db.dataSource().getConnection();
        Statement st = c.createStatement()) {
      st.executeUpdate("UPDATE masters SET last_heartbeat = 0 WHERE id = 'm3'");
    }
    assertThat(orders.peerAgents("m1", MINUTE, MINUTE)).isEqualTo(Map.of("a1", "m2"));

    Instant longAgo = Instant.now().minus(Duration.ofMinutes(10));
    db.agentStore().touch(Map.of("a1", longAgo));
    assertThat(orders.peerAgents("m1", MINUTE, MINUTE)).isEmpty();
  }
}
