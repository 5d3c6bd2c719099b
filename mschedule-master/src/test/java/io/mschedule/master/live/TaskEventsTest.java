package io.mschedule.master.live;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.mschedule.master.task.Run;
import io.mschedule.master.task.RunState;
import io.mschedule.master.task.Task;
import io.mschedule.master.task.TaskState;
import io.mschedule.protocol.message.StdStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class TaskEventsTest {
  static final Instant T0 = Instant.parse("2026-04-01T08:00:00Z");

  final TaskEvents events = new TaskEvents();

  /** Output is kept only for runs that are running: these are. */
  @org.junit.jupiter.api.BeforeEach
  void runsAreRunning() {
    for (String agent : List.of("a1", "a2")) {
      events.run(run("t1", agent, RunState.RUNNING));
      events.run(run("t2", agent, RunState.RUNNING));
    }
  }

  /** Every call, in order, as text. */
  static class Recorder implements TaskEventListener {
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public void onTask(Task task) {
      calls.add("task " + task.id() + " " + task.state());
    }

    @Override
    public void onRun(Run run, byte[] output) {
      calls.add(
          "run "
              + run.agentId()
              + " "
              + run.state()
              + (output == null ? "" : " " + new String(output, UTF_8)));
    }

    @Override
    public void onOutput(String agentId, long seq, byte[] data) {
      calls.add("output " + agentId + " " + seq + " " + new String(data, UTF_8));
    }
  }

  static Task task(String id) {
    return new Task(
        id, TaskState.RUNNING, null, "echo\n", List.of("all"), 0, 0.0, -1, 0, T0, null, null, null);
  }

  static Run run(String taskId, String agentId, RunState state) {
    return new Run(taskId, agentId, "host-" + agentId, 0, state, null, false, T0, null);
  }

  static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  @Test
  void listenersOfTheTaskGetItsEventsInOrderAndNoOthers() throws Exception {
    Recorder r = new Recorder();
    Recorder other = new Recorder();
    events.subscribe("t1", r);
    events.subscribe("t2", other);

    events.task(task("t1"));
    events.run(run("t1", "a1", RunState.RUNNING));
    events.output("t1", "a1", 0, bytes("hello"));
    events.run(run("t1", "a1", RunState.SUCCEEDED), bytes("hello\n"));

    assertThat(r.calls)
        .containsExactly(
            "task t1 RUNNING", "run a1 RUNNING", "output a1 0 hello", "run a1 SUCCEEDED hello\n");
    assertThat(other.calls).isEmpty();
  }

  @Test
  void aChunkSeenBeforeIsIgnored() {
    Recorder r = new Recorder();
    events.subscribe("t1", r);

    events.output("t1", "a1", 0, bytes("a"));
    events.output("t1", "a1", 1, bytes("b"));
    events.output("t1", "a1", 1, bytes("b")); // sent again
    events.output("t1", "a1", 0, bytes("a")); // late duplicate
    events.output("t1", "a1", 3, bytes("d")); // a gap is accepted (a chunk was dropped)
    events.output("t1", "a2", 0, bytes("x")); // another agent counts on its own

    assertThat(r.calls)
        .containsExactly("output a1 0 a", "output a1 1 b", "output a1 3 d", "output a2 0 x");
    TaskEvents.LiveSnapshot a1 = events.liveOutput("t1").get("a1");
    assertThat(new String(a1.output(), UTF_8)).isEqualTo("abd");
    assertThat(a1.nextSeq()).isEqualTo(4);
  }

  @Test
  void theLiveTailKeepsTheLast64KibOfLongOutput() {
    int kib = 1024;
    byte[] chunk = new byte[kib];
    long seq = 0;
    // 200 KiB: chunk n is filled with the byte n % 251
    for (; seq < 200; seq++) {
      Arrays.fill(chunk, (byte) (seq % 251));
      events.output("t1", "a1", seq, chunk.clone());
    }

    TaskEvents.LiveSnapshot s = events.liveOutput("t1").get("a1");
    assertThat(s.nextSeq()).isEqualTo(200);
    // trimmed to 64 KiB whenever it passes 128 KiB: never more than that, never less than 64
    assertThat(s.output().length)
        .isBetween(TaskEvents.LIVE_TAIL_BYTES, 2 * TaskEvents.LIVE_TAIL_BYTES);
    byte[] out = s.output();
    // it is the tail: the last byte is from the last chunk, and the bytes are in order
    assertThat(out[out.length - 1]).isEqualTo((byte) (199 % 251));
    int firstChunk = 200 - out.length / kib;
    assertThat(out[0]).isEqualTo((byte) (firstChunk % 251));
  }

  @Test
  void theTailKeepsWholeChunksAndSaysWhereItStarts() {
    byte[] big = new byte[2 * TaskEvents.LIVE_TAIL_BYTES];
    events.output("t1", "a1", 0, big);
    events.output("t1", "a1", 1, bytes("!"));
    assertThat(events.liveOutput("t1").get("a1").offset()).isZero();

    byte[] tail = new byte[TaskEvents.LIVE_TAIL_BYTES - 1];
    events.output("t1", "a1", 2, tail);

    TaskEvents.LiveSnapshot s = events.liveOutput("t1").get("a1");
    assertThat(s.offset()).as("the big chunk went").isEqualTo(big.length);
    assertThat(s.output()).hasSize(1 + tail.length);
    assertThat(s.output()[0]).isEqualTo((byte) '!');
  }

  @Test
  void chunksKeepTheirStreamAndTheAgentsOffset() {
    Recorder r = new Recorder();
    events.subscribe("t1", r);
    List<LiveChunk> seen = new CopyOnWriteArrayList<>();
    events.subscribe(
        "t1",
        new Recorder() {
          @Override
          public void onOutput(String agentId, LiveChunk chunk) {
            seen.add(chunk);
          }
        });

    events.output("t1", "a1", 0, 0, StdStream.STDOUT, bytes("out\n"));
    events.output("t1", "a1", 1, 4, StdStream.STDERR, bytes("err\n"));
    events.output("t1", "a1", 3, 12, StdStream.STDOUT, bytes("late\n")); // chunk 2 was dropped

    assertThat(seen).extracting(LiveChunk::offset).containsExactly(0L, 4L, 12L);
    assertThat(seen)
        .extracting(LiveChunk::stream)
        .containsExactly(StdStream.STDOUT, StdStream.STDERR, StdStream.STDOUT);
    TaskEvents.LiveSnapshot s = events.liveOutput("t1").get("a1");
    assertThat(new String(s.output(), UTF_8)).isEqualTo("out\nerr\nlate\n");
    assertThat(new String(s.runOutput().stderr(), UTF_8)).isEqualTo("err\n");
    assertThat(s.offset()).isZero();
  }

  @Test
  void aSnapshotHoldsEachRunningRunOfTheTask() {
    events.output("t1", "a1", 0, bytes("one "));
    events.output("t1", "a1", 1, bytes("two"));
    events.output("t1", "a2", 0, bytes("other"));
    events.output("t2", "a1", 0, bytes("not this task"));

    var snapshot = events.liveOutput("t1");

    assertThat(snapshot).containsOnlyKeys("a1", "a2");
    assertThat(new String(snapshot.get("a1").output(), UTF_8)).isEqualTo("one two");
    assertThat(snapshot.get("a1").nextSeq()).isEqualTo(2);
    assertThat(new String(snapshot.get("a2").output(), UTF_8)).isEqualTo("other");
    assertThat(events.liveOutput("t3")).isEmpty();
  }

  @Test
  void theBufferIsFreedWhenTheRunEnds() {
    events.output("t1", "a1", 0, bytes("x"));
    events.output("t1", "a2", 0, bytes("y"));

    events.run(run("t1", "a1", RunState.RUNNING));
    assertThat(events.liveOutput("t1")).containsOnlyKeys("a1", "a2");

    events.run(run("t1", "a1", RunState.FAILED), bytes("x"));
    assertThat(events.liveOutput("t1")).containsOnlyKeys("a2");

    events.run(run("t1", "a2", RunState.KILLED));
    assertThat(events.liveOutput("t1")).isEmpty();
  }

  @Test
  void closingTheSubscriptionRemovesTheListener() throws Exception {
    Recorder r = new Recorder();
    Recorder stays = new Recorder();
    AutoCloseable sub = events.subscribe("t1", r);
    events.subscribe("t1", stays);

    events.task(task("t1"));
    sub.close();
    sub.close(); // twice is harmless
    events.task(task("t1"));
    events.output("t1", "a1", 0, bytes("late"));

    assertThat(r.calls).containsExactly("task t1 RUNNING");
    assertThat(stays.calls)
        .containsExactly("task t1 RUNNING", "task t1 RUNNING", "output a1 0 late");
  }

  @Test
  void aFailingListenerDoesNotStopTheOthers() {
    Recorder r = new Recorder();
    events.subscribe(
        "t1",
        new Recorder() {
          @Override
          public void onTask(Task task) {
            throw new IllegalStateException("viewer went away");
          }
        });
    events.subscribe("t1", r);

    events.task(task("t1"));

    assertThat(r.calls).containsExactly("task t1 RUNNING");
  }

  @Test
  void liveOutputIsKeptOnlyForRunningRunsAndFreedWhenTheyEnd() {
    TaskEvents events = new TaskEvents();
    for (int i = 0; i < 100; i++) {
      events.output("fake-" + i, "a1", 0, new byte[] {1});
    }
    assertThat(events.liveBuffers()).isZero();
    assertThat(events.isRunning("t1", "a1")).isFalse();

    Run waiting = new Run("t1", "a1", "web-01", 0, RunState.WAITING, null, false, null, null);
    events.run(waiting);
    events.output("t1", "a1", 0, new byte[] {1});
    assertThat(events.liveBuffers()).isZero();

    Run running = waiting.moveTo(RunState.RUNNING, null, T0, null);
    events.run(running);
    assertThat(events.isRunning("t1", "a1")).isTrue();
    events.output("t1", "a1", 0, "hi".getBytes());
    events.output("t1", "a2", 0, "not its run".getBytes());
    assertThat(events.liveOutput("t1")).containsOnlyKeys("a1");

    events.run(running.moveTo(RunState.SUCCEEDED, 0, T0, T0));
    assertThat(events.isRunning("t1", "a1")).isFalse();
    assertThat(events.liveBuffers()).isZero();
  }
}
