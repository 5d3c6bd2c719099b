package io.mschedule.master.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.mschedule.master.task.Parallelism;
import io.mschedule.master.task.Run;
import io.mschedule.master.task.RunState;
import io.mschedule.master.task.Task;
import io.mschedule.master.task.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The rules of docs/tasks.md, one by one, on the pure planner: no threads, no database, no sockets;
 * time is a value the test moves.
 */
class PlannerTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final Duration GRACE = Duration.ofSeconds(60);
  static final Duration LINK_WAIT = Duration.ofSeconds(15);
  static final Duration KILL_GRACE = Duration.ofSeconds(10);

  final Planner planner = new Planner(GRACE, LINK_WAIT, KILL_GRACE);
  final FakeLiveness live = new FakeLiveness();
  Instant now = T0;

  /** Agents online and linked unless a test says otherwise; settled (past the start-up grace). */
  static final class FakeLiveness implements Liveness {
    final Set<String> offline = new HashSet<>();
    final Set<String> unlinked = new HashSet<>();

    /** Agents whose reports of running tasks (since a run started) do not list it. */
    final Set<String> unreporting = new HashSet<>();

    Instant settledAt = Instant.MIN;

    @Override
    public boolean mayBeRunning(String agentId, String taskId, Instant startedAt) {
      return !unreporting.contains(agentId);
    }

    @Override
    public boolean online(String agentId) {
      return !offline.contains(agentId);
    }

    @Override
    public boolean linked(String agentId) {
      return online(agentId) && !unlinked.contains(agentId);
    }

    @Override
    public boolean settled(Instant at) {
      return !at.isBefore(settledAt);
    }
  }

  static Task task(int parallel, double failRate, int failCount, int timeout) {
    return thresholds(parallel, failRate, failCount, timeout);
  }

  /** A task with thresholds that may be unset (null). */
  static Task thresholds(int parallel, Double failRate, Integer failCount, int timeout) {
    return new Task(
        "t1",
        TaskState.PENDING,
        null,
        "true",
        List.of("all"),
        parallel,
        failRate,
        failCount,
        timeout,
        T0,
        null,
        "alice",
        null);
  }

  static ActiveTask active(Task t, int runs) {
    List<Run> list = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      list.add(new Run(t.id(), "a" + i, "host-" + i, i, RunState.WAITING, null, false, null, null));
    }
    return new ActiveTask(t, list);
  }

  /** Plans one pass and applies it the way the coordinator does (every write succeeds). */
  Plan pass(ActiveTask at) {
    Plan plan = planner.plan(at, live, now);
    for (Action a : plan.actions()) {
      apply(at, a);
    }
    at.advance(plan);
    return plan;
  }

  void apply(ActiveTask at, Action a) {
    Task t = at.task();
    if (a instanceof Action.Begin) {
      at.task(t.moveTo(TaskState.RUNNING, null, null));
    } else if (a instanceof Action.Start s) {
      at.put(s.run().moveTo(RunState.RUNNING, null, now, null));
    } else if (a instanceof Action.Lose l) {
      at.put(l.run().moveTo(RunState.LOST, null, l.run().startedAt(), now).withError(l.why()));
    } else if (a instanceof Action.Skip s) {
      at.put(s.run().moveTo(RunState.SKIPPED, null, null, now));
    } else if (a instanceof Action.Kill k) {
      at.markKillSent(k.run().agentId(), now);
    } else if (a instanceof Action.Unreported u) {
      at.unreported(u.agentId(), u.since());
    } else if (a instanceof Action.AwaitLink w) {
      at.awaitLink(w.agentId(), w.since());
    } else if (a instanceof Action.Stop s) {
      at.task(t.stopTowards(s.end(), s.reason()));
    } else if (a instanceof Action.Finish f) {
      at.task(t.moveTo(f.end(), t.reason(), now));
    }
  }

  /** The run on agent {@code a<i>} reports {@code state} (a result recorded by the store). */
  void report(ActiveTask at, int i, RunState state) {
    Run r = at.run("a" + i);
    Integer code = null;
    if (state == RunState.SUCCEEDED || state == RunState.FAILED) {
      code = state == RunState.SUCCEEDED ? 0 : 1;
    }
    at.put(r.moveTo(state, code, r.startedAt(), now));
  }

  static List<String> started(Plan p) {
    return p.actions().stream()
        .filter(a -> a instanceof Action.Start)
        .map(a -> ((Action.Start) a).run().agentId())
        .toList();
  }

  static <A extends Action> List<A> of(Plan p, Class<A> type) {
    return p.actions().stream().filter(type::isInstance).map(type::cast).toList();
  }

  @Nested
  class Parallel {
    @Test
    void n_runs_in_flight_and_the_next_starts_as_soon_as_one_ends() {
      ActiveTask at = active(task(2, 0, -1, 0), 5);
      Plan first = pass(at);
      assertThat(first.actions().get(0)).isInstanceOf(Action.Begin.class);
      assertThat(started(first)).containsExactly("a0", "a1");
      assertThat(at.task().state()).isEqualTo(TaskState.RUNNING);
      assertThat(started(pass(at))).isEmpty(); // window full
      report(at, 0, RunState.SUCCEEDED);
      assertThat(started(pass(at))).containsExactly("a2");
      report(at, 1, RunState.FAILED);
      report(at, 2, RunState.SUCCEEDED);
      assertThat(started(pass(at))).containsExactly("a3", "a4");
    }

    @Test
    void zero_means_all_at_once() {
      ActiveTask at = active(task(0, 0, -1, 0), 50);
      assertThat(started(pass(at))).hasSize(50);
      assertThat(at.cursor()).isEqualTo(50);
    }

    @Test
    void a_percentage_is_a_share_of_the_runs_rounded_up() {
      int parallel = Parallelism.resolve("40%", 5);
      assertThat(parallel).isEqualTo(2);
      assertThat(Parallelism.resolve("1%", 5)).isEqualTo(1);
      assertThat(Parallelism.resolve("100%", 5)).isEqualTo(5);
      ActiveTask at = active(task(parallel, 0, -1, 0), 5);
      assertThat(started(pass(at))).containsExactly("a0", "a1");
    }

    @Test
    void the_dispatch_order_is_the_run_order() {
      ActiveTask at = active(task(1, 0, -1, 0), 3);
      for (int i = 0; i < 3; i++) {
        assertThat(started(pass(at))).containsExactly("a" + i);
        report(at, i, RunState.SUCCEEDED);
      }
      Plan last = pass(at);
      assertThat(of(last, Action.Finish.class))
          .containsExactly(new Action.Finish(TaskState.SUCCEEDED));
    }
  }

  @Nested
  class Thresholds {
    /** The examples of docs/tasks.md, 5 runs each: the failure at which the task aborts. */
    @org.junit.jupiter.params.ParameterizedTest(name = "fail_count={0} fail_rate={1}")
    @org.junit.jupiter.params.provider.CsvSource(
        nullValues = "unset",
        value = {
          "1,     unset, 2",
          "0,     unset, 1",
          "unset, 0.5,   3",
          "10,    0.5,   3",
          "-1,    0.0,   0",
          "unset, unset, 0",
        })
    void the_documented_examples(Integer failCount, Double failRate, int abortsAt) {
      ActiveTask at = active(thresholds(0, failRate, failCount, 0), 5);
      pass(at);
      int abortedAt = 0;
      for (int i = 0; i < 5 && abortedAt == 0; i++) {
        report(at, i, RunState.FAILED);
        if (!of(pass(at), Action.Stop.class).isEmpty()) {
          abortedAt = i + 1;
        }
      }
      assertThat(abortedAt).as("aborts at failure number (0 = never)").isEqualTo(abortsAt);
    }

    @Test
    void fail_count_minus_one_never_aborts() {
      ActiveTask at = active(task(0, 0, -1, 0), 3);
      pass(at);
      for (int i = 0; i < 3; i++) {
        report(at, i, RunState.FAILED);
      }
      Plan p = pass(at);
      assertThat(of(p, Action.Stop.class)).isEmpty();
      assertThat(of(p, Action.Finish.class)).containsExactly(new Action.Finish(TaskState.FAILED));
    }

    @Test
    void fail_count_zero_aborts_at_the_first_failure() {
      ActiveTask at = active(task(1, 1, 0, 0), 3);
      pass(at);
      report(at, 0, RunState.FAILED);
      Plan p = pass(at);
      assertThat(of(p, Action.Stop.class))
          .containsExactly(
              new Action.Stop(TaskState.ABORTED, "fail_count 0 exceeded: 1 of 3 runs failed"));
      assertThat(of(p, Action.Skip.class))
          .extracting(s -> s.run().agentId())
          .containsExactly("a1", "a2");
      assertThat(started(p)).isEmpty();
      assertThat(of(p, Action.Finish.class)).containsExactly(new Action.Finish(TaskState.ABORTED));
    }

    @Test
    void fail_count_aborts_only_once_failures_exceed_it() {
      ActiveTask at = active(task(0, 1, 2, 0), 5);
      pass(at);
      report(at, 0, RunState.FAILED);
      report(at, 1, RunState.TIMED_OUT);
      assertThat(of(pass(at), Action.Stop.class)).isEmpty(); // exactly at the threshold: 2 of 2
      report(at, 2, RunState.FAILED_TO_START);
      assertThat(of(pass(at), Action.Stop.class))
          .containsExactly(
              new Action.Stop(TaskState.ABORTED, "fail_count 2 exceeded: 3 of 5 runs failed"));
    }

    @Test
    void fail_rate_aborts_once_the_share_of_failures_passes_it() {
      ActiveTask at = active(task(0, 0.4, 10, 0), 5);
      pass(at);
      report(at, 0, RunState.FAILED);
      report(at, 1, RunState.FAILED);
      assertThat(of(pass(at), Action.Stop.class)).isEmpty(); // 2/5 = 0.4: not past it
      report(at, 2, RunState.FAILED);
      assertThat(of(pass(at), Action.Stop.class))
          .containsExactly(
              new Action.Stop(
                  TaskState.ABORTED, "fail_rate 0.4 exceeded: 3 of 5 runs failed (0.6)"));
    }

    @Test
    void fail_rate_zero_means_no_failure_allowed_when_fail_count_is_set() {
      ActiveTask at = active(task(0, 0, 5, 0), 4);
      pass(at);
      report(at, 0, RunState.LOST);
      assertThat(of(pass(at), Action.Stop.class))
          .extracting(Action.Stop::end)
          .containsExactly(TaskState.ABORTED);
    }

    @Test
    void killed_and_skipped_runs_are_not_failures() {
      ActiveTask at = active(task(0, 0, 0, 0), 2);
      pass(at);
      report(at, 0, RunState.KILLED);
      report(at, 1, RunState.SUCCEEDED);
      Plan p = pass(at);
      assertThat(of(p, Action.Stop.class)).isEmpty();
      assertThat(of(p, Action.Finish.class)).containsExactly(new Action.Finish(TaskState.FAILED));
    }

    @Test
    void failed_to_start_is_a_failure() {
      assertThat(RunState.FAILED_TO_START.isFailure()).isTrue();
      ActiveTask at = active(task(0, 1, 0, 0), 2);
      pass(at);
      report(at, 1, RunState.FAILED_TO_START);
      assertThat(of(pass(at), Action.Stop.class)).hasSize(1);
    }

    @Test
    void an_aborted_task_kills_its_runs_in_flight_once_and_ends_when_they_report() {
      ActiveTask at = active(task(2, 1, 0, 0), 4);
      pass(at);
      report(at, 0, RunState.FAILED);
      Plan p = pass(at);
      assertThat(of(p, Action.Kill.class)).extracting(k -> k.run().agentId()).containsExactly("a1");
      assertThat(of(p, Action.Skip.class))
          .extracting(s -> s.run().agentId())
          .containsExactly("a2", "a3");
      assertThat(of(p, Action.Finish.class)).isEmpty(); // a1 still in flight
      assertThat(at.task().stopping()).isEqualTo(TaskState.ABORTED);
      assertThat(at.task().state()).isEqualTo(TaskState.RUNNING);
      assertThat(pass(at).actions()).isEmpty(); // no second kill, nothing else
      report(at, 1, RunState.KILLED);
      assertThat(of(pass(at), Action.Finish.class))
          .containsExactly(new Action.Finish(TaskState.ABORTED));
    }
  }

  @Nested
  class Timeouts {
    @Test
    void a_run_is_lost_once_timeout_plus_grace_has_passed_without_a_result() {
      ActiveTask at = active(task(0, 0, -1, 10), 1);
      pass(at);
      now = T0.plusSeconds(70);
      assertThat(of(pass(at), Action.Lose.class)).isEmpty(); // exactly timeout + grace
      now = T0.plusSeconds(70).plus(Planner.SWEEP_EVERY); // the next check of runs in flight
      Plan p = pass(at);
      assertThat(of(p, Action.Lose.class))
          .extracting(Action.Lose::why)
          .containsExactly("no result within the timeout and 60 s of grace");
      assertThat(of(p, Action.Finish.class)).containsExactly(new Action.Finish(TaskState.FAILED));
      assertThat(at.run("a0").error()).contains("no result within the timeout");
    }

    @Test
    void without_a_timeout_a_run_of_an_online_agent_is_never_overdue() {
      ActiveTask at = active(task(0, 0, -1, 0), 1);
      pass(at);
      now = T0.plus(Duration.ofDays(3));
      assertThat(pass(at).actions()).isEmpty();
    }
  }

  @Nested
  class EveryRunEnds {
    @Test
    void a_run_its_online_agent_no_longer_reports_is_handed_again_then_lost_after_the_grace() {
      ActiveTask at = active(task(0, 0, -1, 0), 2); // no timeout
      pass(at);
      now = T0.plusSeconds(30);
      live.unreporting.add("a1");
      Plan p = pass(at);
      assertThat(p.actions())
          .containsExactly(new Action.Unreported("a1", now), new Action.Resend(at.run("a1")));
      now = now.plus(GRACE);
      assertThat(of(pass(at), Action.Lose.class)).isEmpty();
      now = now.plus(Planner.SWEEP_EVERY);
      assertThat(of(pass(at), Action.Lose.class))
          .extracting(l -> l.run().agentId(), Action.Lose::why)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(
                  "a1", "the agent no longer reports this run (for 60 s)"));
    }

    @Test
    void a_run_reported_again_is_no_longer_suspect() {
      ActiveTask at = active(task(0, 0, -1, 0), 1);
      pass(at);
      now = T0.plusSeconds(5);
      live.unreporting.add("a0");
      pass(at);
      assertThat(at.unreportedSince("a0")).isEqualTo(now);
      live.unreporting.clear();
      now = now.plusSeconds(1);
      assertThat(pass(at).actions()).containsExactly(new Action.Unreported("a0", null));
      now = now.plus(GRACE).plusSeconds(5);
      assertThat(pass(at).actions()).isEmpty();
    }

    @Test
    void a_kill_ends_the_task_within_the_kill_grace_whatever_the_agents_do() {
      ActiveTask at = active(task(0, 0, -1, 0), 2);
      pass(at);
      apply(at, planner.kill(at, "bob").orElseThrow());
      assertThat(of(pass(at), Action.Kill.class)).hasSize(2);
      report(at, 0, RunState.KILLED);
      now = T0.plus(KILL_GRACE);
      assertThat(of(pass(at), Action.Finish.class)).isEmpty();
      now = T0.plus(KILL_GRACE).plus(Planner.SWEEP_EVERY);
      Plan p = pass(at);
      assertThat(of(p, Action.Lose.class))
          .extracting(Action.Lose::why)
          .containsExactly("the agent did not confirm the kill within 10 s");
      assertThat(of(p, Action.Finish.class)).containsExactly(new Action.Finish(TaskState.KILLED));
    }
  }

  @Nested
  class LostAgents {
    @Test
    void a_run_whose_agent_went_offline_is_lost() {
      ActiveTask at = active(task(0, 0, -1, 0), 2);
      pass(at);
      live.offline.add("a1");
      at.livenessChanged(true);
      Plan p = pass(at);
      assertThat(of(p, Action.Lose.class))
          .extracting(l -> l.run().agentId(), Action.Lose::why)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("a1", "agent offline"));
      assertThat(at.livenessChanged()).isFalse();
    }

    @Test
    void offline_agents_are_checked_on_a_liveness_change_or_once_per_sweep_interval() {
      ActiveTask at = active(task(0, 0, -1, 0), 1);
      pass(at); // swept at T0, next sweep at T0 + 1 s
      live.offline.add("a0");
      now = T0.plusMillis(500);
      assertThat(pass(at).actions()).isEmpty();
      now = T0.plus(Planner.SWEEP_EVERY);
      assertThat(of(pass(at), Action.Lose.class)).hasSize(1);
    }

    @Test
    void no_run_is_lost_during_the_restart_grace() {
      live.settledAt = T0.plusSeconds(30);
      ActiveTask at = active(task(0, 0, -1, 0), 1);
      pass(at);
      live.offline.add("a0");
      now = T0.plusSeconds(29);
      assertThat(pass(at).actions()).isEmpty();
      now = T0.plusSeconds(30);
      assertThat(of(pass(at), Action.Lose.class)).hasSize(1);
    }

    @Test
    void a_waiting_run_whose_agent_is_offline_when_its_turn_comes_is_lost() {
      ActiveTask at = active(task(1, 0, -1, 0), 2);
      live.offline.add("a0");
      Plan p = pass(at);
      assertThat(of(p, Action.Lose.class)).extracting(l -> l.run().agentId()).containsExactly("a0");
      assertThat(started(p)).containsExactly("a1");
    }

    @Test
    void a_waiting_run_waits_for_an_online_agents_link_then_is_lost() {
      ActiveTask at = active(task(1, 0, -1, 0), 1);
      live.unlinked.add("a0");
      Plan p = pass(at);
      assertThat(p.actions()).containsExactly(new Action.AwaitLink("a0", T0));
      now = T0.plus(LINK_WAIT);
      assertThat(pass(at).actions()).isEmpty();
      now = T0.plus(LINK_WAIT).plusMillis(1);
      assertThat(of(pass(at), Action.Lose.class))
          .extracting(Action.Lose::why)
          .containsExactly("agent not connected");
    }

    @Test
    void a_waiting_run_starts_when_its_agent_links_in_time() {
      ActiveTask at = active(task(1, 0, -1, 0), 1);
      live.unlinked.add("a0");
      pass(at);
      live.unlinked.clear();
      now = T0.plusSeconds(5);
      assertThat(started(pass(at))).containsExactly("a0");
    }

    @Test
    void a_reconnecting_agent_is_handed_its_run_again_or_asked_again_to_kill_it() {
      ActiveTask at = active(task(1, 0, -1, 0), 2);
      pass(at);
      assertThat(planner.relink(at, "a0")).contains(new Action.Resend(at.run("a0")));
      assertThat(planner.relink(at, "a1")).isEmpty(); // still waiting
      assertThat(planner.relink(at, "nobody")).isEmpty();
      apply(at, planner.kill(at, "bob").orElseThrow());
      assertThat(planner.relink(at, "a0")).contains(new Action.Kill(at.run("a0")));
    }
  }

  @Nested
  class Kill {
    @Test
    void kill_while_waiting_skips_every_run_and_ends_the_task_at_once() {
      ActiveTask at = active(task(1, 0, -1, 0), 3);
      live.unlinked.addAll(List.of("a0", "a1", "a2"));
      pass(at);
      apply(at, planner.kill(at, "bob").orElseThrow());
      assertThat(at.task().reason()).isEqualTo("killed by bob");
      Plan p = pass(at);
      assertThat(of(p, Action.Skip.class)).hasSize(3);
      assertThat(of(p, Action.Finish.class)).containsExactly(new Action.Finish(TaskState.KILLED));
    }

    @Test
    void kill_while_running_kills_runs_in_flight_and_skips_the_rest() {
      ActiveTask at = active(task(2, 0, -1, 0), 4);
      pass(at);
      apply(at, planner.kill(at, null).orElseThrow());
      assertThat(at.task().reason()).isEqualTo("killed");
      Plan p = pass(at);
      assertThat(of(p, Action.Kill.class))
          .extracting(k -> k.run().agentId())
          .containsExactly("a0", "a1");
      assertThat(of(p, Action.Skip.class))
          .extracting(s -> s.run().agentId())
          .containsExactly("a2", "a3");
      report(at, 0, RunState.KILLED);
      assertThat(of(pass(at), Action.Finish.class)).isEmpty();
      report(at, 1, RunState.SUCCEEDED); // it had finished before the kill reached it
      assertThat(of(pass(at), Action.Finish.class))
          .containsExactly(new Action.Finish(TaskState.KILLED));
    }

    @Test
    void kill_while_an_abort_is_finishing_turns_it_into_a_kill() {
      ActiveTask at = active(task(2, 1, 0, 0), 3);
      pass(at);
      report(at, 0, RunState.FAILED);
      pass(at);
      assertThat(at.task().stopping()).isEqualTo(TaskState.ABORTED);
      Action kill = planner.kill(at, "bob").orElseThrow();
      assertThat(kill).isEqualTo(new Action.Stop(TaskState.KILLED, "killed by bob"));
      apply(at, kill);
      assertThat(planner.kill(at, "carol")).isEmpty(); // already being killed
      report(at, 1, RunState.KILLED);
      assertThat(of(pass(at), Action.Finish.class))
          .containsExactly(new Action.Finish(TaskState.KILLED));
      assertThat(planner.kill(at, "bob")).isEmpty(); // ended
    }

    @Test
    void a_run_lost_in_the_same_pass_is_not_sent_a_kill() {
      ActiveTask at = active(task(0, 1, 0, 0), 2);
      pass(at);
      live.offline.add("a0");
      at.livenessChanged(true);
      Plan p = pass(at); // a0 lost -> fail_count 0 passed -> abort, kill a1 only
      assertThat(of(p, Action.Kill.class)).extracting(k -> k.run().agentId()).containsExactly("a1");
    }
  }

  @Nested
  class Cost {
    @Test
    void a_pass_after_a_result_touches_neither_the_waiting_runs_nor_the_runs_in_flight() {
      ActiveTask at = active(task(0, 0, -1, 0), 10_000);
      pass(at);
      assertThat(at.cursor()).isEqualTo(10_000);
      assertThat(at.count(RunState.RUNNING)).isEqualTo(10_000);
      report(at, 42, RunState.SUCCEEDED);
      now = T0.plusMillis(10); // before the next sweep
      Plan p = pass(at);
      assertThat(p.actions()).isEmpty();
      assertThat(p.swept()).isFalse();
      assertThat(at.finished()).isEqualTo(1);
    }
  }
}
