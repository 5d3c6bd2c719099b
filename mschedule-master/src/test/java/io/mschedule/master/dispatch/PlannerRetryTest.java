package io.mschedule.master.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.mschedule.master.dispatch.PlannerTest.FakeLiveness;
import io.mschedule.master.task.RetryPolicy;
import io.mschedule.master.task.Run;
import io.mschedule.master.task.RunState;
import io.mschedule.master.task.Script;
import io.mschedule.master.task.Task;
import io.mschedule.master.task.TaskFiles;
import io.mschedule.master.task.TaskOrigin;
import io.mschedule.master.task.TaskState;
import io.mschedule.protocol.test.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Retries on the pure planner: attempts, delays (doubling, jitter) and what the thresholds see. */
class PlannerRetryTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  final TestClock clock = new TestClock(T0);
  final FakeLiveness live = new FakeLiveness();

  /** The jitter source: a fixed share, so delays are exact. */
  double jitter = 0;

  final Planner planner =
      new Planner(
          Duration.ofSeconds(60), Duration.ofSeconds(15), Duration.ofSeconds(10), () -> jitter);

  static Task task(int runs, Integer failCount, RetryPolicy retry, int timeout) {
    return new Task(
        "t1",
        TaskState.PENDING,
        null,
        Script.of("true"),
        List.of("all"),
        runs,
        null,
        failCount,
        timeout,
        T0,
        null,
        "alice",
        null,
        Map.of(),
        TaskOrigin.NONE,
        TaskFiles.NONE,
        retry);
  }

  static ActiveTask active(Task t, int runs) {
    List<Run> list = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      list.add(new Run(t.id(), "a" + i, "host-" + i, i, RunState.WAITING, null, false, null, null));
    }
    return new ActiveTask(t, list);
  }

  /** Plans one pass at the clock's time and applies it as the coordinator does. */
  Plan pass(ActiveTask at) {
    Instant now = clock.instant();
    Plan plan = planner.plan(at, live, now);
    for (Action a : plan.actions()) {
      Task t = at.task();
      if (a instanceof Action.Begin) {
        at.task(t.moveTo(TaskState.RUNNING, null, null));
      } else if (a instanceof Action.Start s) {
        at.put(s.run().moveTo(RunState.RUNNING, null, now, null));
      } else if (a instanceof Action.Lose l) {
        at.put(l.run().moveTo(RunState.LOST, null, l.run().startedAt(), now).withError(l.why()));
      } else if (a instanceof Action.Retry r) {
        at.put(r.run().nextAttempt(r.at()));
      } else if (a instanceof Action.Skip s) {
        at.put(s.run().moveTo(RunState.SKIPPED, null, null, now));
      } else if (a instanceof Action.Kill k) {
        at.markKillSent(k.run().agentId(), now);
      } else if (a instanceof Action.Stop s) {
        at.task(t.stopTowards(s.end(), s.reason()));
      } else if (a instanceof Action.Finish f) {
        at.task(t.moveTo(f.end(), t.reason(), now));
      }
    }
    at.advance(plan);
    return plan;
  }

  void report(ActiveTask at, int i, RunState state) {
    Run r = at.run("a" + i);
    Integer code = null;
    if (state == RunState.SUCCEEDED || state == RunState.FAILED) {
      code = state == RunState.SUCCEEDED ? 0 : 1;
    }
    at.put(r.moveTo(state, code, r.startedAt(), clock.instant()));
  }

  static <A extends Action> List<A> of(Plan p, Class<A> type) {
    return p.actions().stream().filter(type::isInstance).map(type::cast).toList();
  }

  @Test
  void a_failed_run_is_retried_on_the_same_agent_after_doubling_delays() {
    ActiveTask at = active(task(1, null, new RetryPolicy(2, 10), 0), 1);
    pass(at);
    report(at, 0, RunState.FAILED);

    Plan retry = pass(at);
    assertThat(of(retry, Action.Retry.class))
        .singleElement()
        .satisfies(r -> assertThat(r.at()).isEqualTo(T0.plusSeconds(10)));
    assertThat(at.run("a0").state()).isEqualTo(RunState.WAITING);
    assertThat(at.run("a0").attempt()).isEqualTo(2);
    assertThat(of(retry, Action.Finish.class)).isEmpty();

    clock.advance(Duration.ofSeconds(9));
    assertThat(of(pass(at), Action.Start.class)).isEmpty(); // not due yet
    clock.advance(Duration.ofSeconds(1));
    assertThat(of(pass(at), Action.Start.class))
        .singleElement()
        .satisfies(s -> assertThat(s.run().attempt()).isEqualTo(2));

    report(at, 0, RunState.FAILED);
    Instant failedAgain = clock.instant();
    assertThat(of(pass(at), Action.Retry.class))
        .singleElement()
        .satisfies(r -> assertThat(r.at()).isEqualTo(failedAgain.plusSeconds(20)));
    clock.advance(Duration.ofSeconds(20));
    pass(at);
    assertThat(at.run("a0").state()).isEqualTo(RunState.RUNNING);
    assertThat(at.run("a0").attempt()).isEqualTo(3);

    report(at, 0, RunState.FAILED); // the last attempt
    Plan end = pass(at);
    assertThat(of(end, Action.Retry.class)).isEmpty();
    assertThat(of(end, Action.Finish.class))
        .singleElement()
        .satisfies(f -> assertThat(f.end()).isEqualTo(TaskState.FAILED));
  }

  @Test
  void the_jitter_shortens_the_delay_by_up_to_a_fifth() {
    jitter = 0.5;
    ActiveTask at = active(task(1, null, new RetryPolicy(1, 100), 0), 1);
    pass(at);
    report(at, 0, RunState.TIMED_OUT);
    assertThat(of(pass(at), Action.Retry.class))
        .singleElement()
        .satisfies(r -> assertThat(r.at()).isEqualTo(T0.plusSeconds(90)));
  }

  @Test
  void a_retry_that_succeeds_makes_the_task_succeed() {
    ActiveTask at = active(task(2, 0, new RetryPolicy(1, 0), 0), 2);
    pass(at);
    report(at, 0, RunState.FAILED);
    report(at, 1, RunState.SUCCEEDED);

    Plan p = pass(at); // fail_count 0 would abort at the first counted failure
    assertThat(of(p, Action.Stop.class)).isEmpty();
    assertThat(of(p, Action.Finish.class)).isEmpty();
    pass(at);
    assertThat(at.run("a0").state()).isEqualTo(RunState.RUNNING);
    report(at, 0, RunState.SUCCEEDED);

    assertThat(of(pass(at), Action.Finish.class))
        .singleElement()
        .satisfies(f -> assertThat(f.end()).isEqualTo(TaskState.SUCCEEDED));
  }

  @Test
  void only_the_last_attempt_counts_towards_the_thresholds() {
    ActiveTask at = active(task(1, 0, new RetryPolicy(1, 0), 0), 1);
    pass(at);
    report(at, 0, RunState.FAILED);
    assertThat(of(pass(at), Action.Stop.class)).isEmpty();
    pass(at);
    report(at, 0, RunState.FAILED);

    Plan p = pass(at);
    assertThat(of(p, Action.Stop.class))
        .singleElement()
        .satisfies(s -> assertThat(s.reason()).contains("1 of 1 runs failed"));
  }

  @Test
  void a_lost_run_is_retried_and_a_killed_or_failed_to_start_one_is_not() {
    ActiveTask at = active(task(3, null, new RetryPolicy(1, 0), 5), 3);
    pass(at);
    report(at, 1, RunState.KILLED);
    report(at, 2, RunState.FAILED_TO_START);
    clock.advance(Duration.ofSeconds(5 + 61)); // past the timeout and the result grace

    Plan lost = pass(at);
    assertThat(of(lost, Action.Lose.class))
        .extracting(l -> l.run().agentId())
        .containsExactly("a0");
    assertThat(of(lost, Action.Finish.class)).isEmpty();
    Plan retried = pass(at);
    assertThat(of(retried, Action.Retry.class))
        .extracting(r -> r.run().agentId())
        .containsExactly("a0");
    assertThat(at.run("a0").attempt()).isEqualTo(2);
  }

  @Test
  void a_kill_skips_a_retry_that_waits_for_its_delay() {
    ActiveTask at = active(task(1, null, new RetryPolicy(3, 60), 0), 1);
    pass(at);
    report(at, 0, RunState.FAILED);
    pass(at);
    assertThat(at.run("a0").retryAt()).isEqualTo(T0.plusSeconds(60));

    planner.kill(at, "bob").ifPresent(a -> at.task(at.task().stopTowards(TaskState.KILLED, "k")));
    Plan p = pass(at);
    assertThat(of(p, Action.Skip.class))
        .singleElement()
        .satisfies(s -> assertThat(s.run().attempt()).isEqualTo(2));
    assertThat(of(p, Action.Finish.class))
        .singleElement()
        .satisfies(f -> assertThat(f.end()).isEqualTo(TaskState.KILLED));
  }

  @Test
  void an_aborting_task_retries_nothing_and_counts_the_failure_as_final() {
    ActiveTask at = active(task(2, 0, new RetryPolicy(2, 0), 0), 2);
    pass(at);
    report(at, 0, RunState.FAILED); // retryable
    at.task(at.task().stopTowards(TaskState.ABORTED, "test"));
    report(at, 1, RunState.KILLED);

    Plan p = pass(at);
    assertThat(of(p, Action.Retry.class)).isEmpty();
    assertThat(of(p, Action.Finish.class))
        .singleElement()
        .satisfies(f -> assertThat(f.end()).isEqualTo(TaskState.ABORTED));
  }

  @Test
  void a_retry_waits_for_a_free_place_in_the_parallel_window() {
    ActiveTask at = active(task(1, null, new RetryPolicy(1, 0), 0), 2);
    pass(at);
    report(at, 0, RunState.FAILED);
    Plan p = pass(at); // a0 waits for its retry; the freed place goes to a1
    assertThat(of(p, Action.Retry.class)).hasSize(1);
    assertThat(of(p, Action.Start.class)).extracting(s -> s.run().agentId()).containsExactly("a1");
    assertThat(of(pass(at), Action.Start.class)).isEmpty(); // window full

    report(at, 1, RunState.SUCCEEDED);
    assertThat(of(pass(at), Action.Start.class))
        .extracting(s -> s.run().agentId() + "#" + s.run().attempt())
        .containsExactly("a0#2");
  }
}
