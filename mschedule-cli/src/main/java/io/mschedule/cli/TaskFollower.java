package io.mschedule.cli;

import io.mschedule.cli.client.ApiException;
import io.mschedule.cli.client.EventListener;
import io.mschedule.cli.client.EventStream;
import io.mschedule.cli.client.MasterClient;
import io.mschedule.cli.client.MasterUnreachableException;
import io.mschedule.cli.client.OutputChunk;
import io.mschedule.cli.client.Run;
import io.mschedule.cli.client.RunState;
import io.mschedule.cli.client.Task;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Follows a task until it ends, printing each run's output and end. It listens to the task's live
 * events; when the stream is not available or breaks before the task's end, it polls {@code GET
 * /api/v1/tasks/{id}} instead, so no run is missed. It always finishes with one {@code GET} and
 * returns that final task (with outputs).
 *
 * <p>Modes: {@link Mode#LIVE} prints output as it arrives (first what the task's first event holds:
 * the output so far of runs still going, then the live chunks, then what the run's stored output
 * holds beyond them; every piece says where it starts in the run's output, so nothing shows twice
 * or goes missing) and each run's status line when it ends; stderr shows red when colours are on;
 * {@link Mode#BLOCKS} prints each run's block (status line and output) when it ends; {@link
 * Mode#QUIET} prints nothing. A {@link Progress} line is kept up to date while waiting.
 */
final class TaskFollower {
  enum Mode {
    BLOCKS,
    LIVE,
    QUIET
  }

  private static final Duration UNREACHABLE_GRACE = Duration.ofSeconds(60);

  /** What counts as failed (docs/tasks.md): killed and skipped runs do not. */
  private static final Set<RunState> FAILURES =
      EnumSet.of(RunState.FAILED, RunState.FAILED_TO_START, RunState.TIMED_OUT, RunState.LOST);

  private final MasterClient client;
  private final PrintWriter out;
  private final PrintWriter err;
  private final Mode mode;
  private final RunPrinter printer;
  private final Progress progress;
  private final Duration minPoll;
  private final Duration maxPoll;

  private final Set<String> ended = new HashSet<>();

  /** The ended runs by agent, until a retry of the run starts a later attempt. */
  private final Map<String, Run> endedRuns = new HashMap<>();

  /** Output seen per running run: printed (LIVE) or kept for its block (BLOCKS). */
  private final Map<String, StringBuilder> seen = new HashMap<>();

  /** How far each run's output was seen, in bytes of its output. */
  private final Map<String, OutputCursor> cursors = new HashMap<>();

  private final Colors colors;

  private final Map<String, String> hostnames = new HashMap<>();
  private HostNames names = HostNames.PLAIN;
  private LiveOutput live;
  private int total;
  private int failed;

  TaskFollower(MasterClient client, PrintWriter out, PrintWriter err, Mode mode) {
    this(client, out, err, mode, Colors.PLAIN, Progress.off());
  }

  TaskFollower(
      MasterClient client,
      PrintWriter out,
      PrintWriter err,
      Mode mode,
      Colors colors,
      Progress progress) {
    this(client, out, err, mode, colors, progress, Duration.ofMillis(500), Duration.ofSeconds(5));
  }

  TaskFollower(
      MasterClient client,
      PrintWriter out,
      PrintWriter err,
      Mode mode,
      Colors colors,
      Progress progress,
      Duration minPoll,
      Duration maxPoll) {
    this.client = client;
    this.out = out;
    this.err = err;
    this.mode = mode;
    this.printer = new RunPrinter(out, colors);
    this.colors = colors;
    this.progress = progress;
    this.minPoll = minPoll;
    this.maxPoll = maxPoll;
  }

  /** Follows the task until its final state and returns it as {@code GET} reports it. */
  Task follow(String taskId) throws InterruptedException {
    BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    EventStream stream = null;
    try {
      stream = client.events(taskId, new QueueListener(queue));
    } catch (ApiException e) { // polling retries an unreachable master for a while
      if (e.status() == 404) {
        throw e;
      }
      warn("live events unavailable (" + Formats.apiError(e) + "); polling the task instead");
    }
    try {
      if (stream != null) {
        try {
          Closed closed = consume(queue);
          if (closed != null) {
            String why = closed.error() == null ? "" : " (" + closed.error().getMessage() + ")";
            warn("live event stream ended before the task" + why + "; polling the task instead");
          }
        } finally {
          stream.close();
        }
      }
      return poll(taskId);
    } finally {
      progress.clear();
    }
  }

  /** Handles events until the task's final state (null) or the stream's premature end. */
  private Closed consume(BlockingQueue<Object> queue) throws InterruptedException {
    boolean first = true;
    while (true) {
      Object ev = queue.poll();
      if (ev == null) {
        showProgress();
        ev = queue.take();
      }
      progress.clear();
      if (ev instanceof Task task) {
        task.runs().forEach(this::noteHost);
        if (first) {
          start(task);
        }
        first = false;
        if (task.state().isFinal()) {
          return null;
        }
      } else if (ev instanceof Run run) {
        noteHost(run);
        reopenIfRetried(run);
        if (run.state().isFinal()) {
          end(run);
        }
      } else if (ev instanceof OutputChunk chunk) {
        output(chunk);
      } else if (ev instanceof Closed closed) {
        return closed;
      }
    }
  }

  /**
   * The first task event: the whole task with the output so far of every run (stored for ended
   * runs, the live tail for running ones).
   */
  private void start(Task task) {
    total = task.runs().size();
    namesFor(task);
    liveFor(task);
    for (Run run : task.runs()) {
      if (run.state().isFinal()) {
        end(run);
      } else if (run.outputBytes() != null) {
        long offset = run.outputOffset() == null ? 0 : run.outputOffset();
        if (offset > 0 && mode == Mode.LIVE) {
          // the master keeps the last part of a running run's output for viewers who come late
          liveOutput()
              .write(
                  run.agentId(),
                  names.of(run),
                  "[mschedule: the first " + offset + " bytes of output are not shown]\n");
        }
        show(
            run.agentId(),
            cursor(run.agentId()).takeAll(offset, run.outputBytes(), run.outputStreams()));
      }
    }
  }

  /**
   * A run ended. LIVE: the part of its stored output not shown yet (it comes with the run's final
   * event or the polled task; live chunks may lag behind it), then its status line. BLOCKS: its
   * block, from the stored output, else from the chunks seen.
   */
  private void end(Run run) {
    if (!ended.add(run.agentId())) {
      return;
    }
    endedRuns.put(run.agentId(), run);
    if (FAILURES.contains(run.state())) {
      failed++;
    }
    StringBuilder shown = seen.remove(run.agentId());
    OutputCursor cursor = cursors.remove(run.agentId());
    String host = names.of(run);
    switch (mode) {
      case BLOCKS ->
          printer.block(
              run.output() != null ? run : run.withOutput(shown == null ? null : shown.toString()));
      case LIVE -> {
        byte[] stored = run.outputBytes();
        List<OutputCursor.Piece> rest = new ArrayList<>();
        if (cursor == null) {
          cursor = new OutputCursor();
        }
        if (stored != null && (!run.truncated() || cursor.end() == 0)) {
          // the stored output is the whole output from its start (or nothing was shown yet)
          rest.addAll(cursor.takeAll(0, stored, run.outputStreams()));
        } else if (stored != null) {
          // cut in the middle: the offsets of its tail are unknown, compare the text instead
          String text = unseen(run.output(), shown);
          if (!text.isEmpty()) {
            rest.add(new OutputCursor.Piece(text, false));
          }
        }
        rest.addAll(cursor.flush());
        for (OutputCursor.Piece p : rest) {
          liveOutput().write(run.agentId(), host, p.text(), p.stderr());
        }
        liveOutput().end(run.agentId(), host);
        printer.status(run);
      }
      case QUIET -> {}
    }
  }

  /**
   * A run that ended and is now in a later attempt (a retry): it is followed again, its output from
   * the start of the new attempt.
   */
  private void reopenIfRetried(Run run) {
    Run last = endedRuns.get(run.agentId());
    if (last == null || attempt(run) <= attempt(last)) {
      return;
    }
    endedRuns.remove(run.agentId());
    ended.remove(run.agentId());
    if (FAILURES.contains(last.state())) {
      failed--;
    }
    seen.remove(run.agentId());
    cursors.remove(run.agentId());
  }

  private static int attempt(Run run) {
    return run.attempt() == null ? 1 : run.attempt();
  }

  /** What {@code stored} holds beyond {@code shown}; nothing when it does not continue it. */
  static String unseen(String stored, CharSequence shown) {
    if (stored == null) {
      return "";
    }
    String before = shown == null ? "" : shown.toString();
    return stored.startsWith(before) ? stored.substring(before.length()) : "";
  }

  /** A live chunk: the part of it not seen yet (older masters give no offset: all of it). */
  private void output(OutputChunk chunk) {
    String agent = chunk.agentId();
    if (agent == null || ended.contains(agent) || mode == Mode.QUIET) {
      return;
    }
    OutputCursor cursor = cursor(agent);
    long offset = chunk.offset() == null ? cursor.end() : chunk.offset();
    show(agent, cursor.take(offset, chunk.bytes(), chunk.isStderr()));
  }

  private OutputCursor cursor(String agent) {
    return cursors.computeIfAbsent(agent, a -> new OutputCursor());
  }

  private void show(String agent, List<OutputCursor.Piece> pieces) {
    if (agent == null || ended.contains(agent) || mode == Mode.QUIET) {
      return;
    }
    for (OutputCursor.Piece p : pieces) {
      seen.computeIfAbsent(agent, a -> new StringBuilder()).append(p.text());
      if (mode == Mode.LIVE) {
        liveOutput().write(agent, names.of(agent, hostnames.get(agent)), p.text(), p.stderr());
      }
    }
  }

  private void noteHost(Run r) {
    if (r.agentId() != null && r.hostname() != null) {
      hostnames.put(r.agentId(), r.hostname());
    }
  }

  private void namesFor(Task task) {
    names = HostNames.of(task.runs());
    printer.names(names);
  }

  /**
   * Sets the live output up for the task: lines prefixed by host when several runs may go at once,
   * a header line per host when they go one after the other.
   */
  private void liveFor(Task task) {
    if (mode == Mode.LIVE && live == null) {
      boolean several = task.runs().size() > 1;
      boolean atOnce = task.parallel() == null || task.parallel() != 1;
      live = new LiveOutput(out, colors, several && atOnce, several && !atOnce);
    }
  }

  private LiveOutput liveOutput() {
    if (live == null) {
      live = new LiveOutput(out, colors, true, false);
    }
    return live;
  }

  private void showProgress() {
    progress.show(ended.size(), total, failed);
  }

  /** Polls until the task is final, printing runs that end, and returns the final task. */
  private Task poll(String taskId) throws InterruptedException {
    Duration delay = minPoll;
    long unreachableSince = 0;
    while (true) {
      Task task;
      try {
        task = client.task(taskId);
        unreachableSince = 0;
      } catch (MasterUnreachableException e) {
        long now = System.nanoTime();
        if (unreachableSince == 0) {
          unreachableSince = now;
          warn(e.getMessage() + "; retrying");
        } else if (Duration.ofNanos(now - unreachableSince).compareTo(UNREACHABLE_GRACE) > 0) {
          throw e;
        }
        Thread.sleep(maxPoll.toMillis());
        continue;
      }
      boolean changed = false;
      total = task.runs().size();
      if (names == HostNames.PLAIN) {
        namesFor(task);
      }
      liveFor(task);
      progress.clear();
      for (Run run : task.runs()) {
        noteHost(run);
        reopenIfRetried(run);
        if (run.state().isFinal() && !ended.contains(run.agentId())) {
          changed = true;
          end(run);
        }
      }
      if (task.state().isFinal()) {
        return task;
      }
      showProgress();
      delay = changed ? minPoll : min(maxPoll, delay.multipliedBy(3).dividedBy(2));
      Thread.sleep(delay.toMillis());
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private void warn(String message) {
    progress.clear();
    err.println("mschedule: " + message);
    err.flush();
  }

  /** Marks the end of the event stream in the queue. */
  private record Closed(Throwable error) {}

  /** Moves events from the stream's thread to the following thread. */
  private final class QueueListener implements EventListener {
    private final BlockingQueue<Object> queue;

    QueueListener(BlockingQueue<Object> queue) {
      this.queue = queue;
    }

    @Override
    public void onTask(Task task) {
      queue.add(task);
    }

    @Override
    public void onRun(Run run) {
      queue.add(run);
    }

    @Override
    public void onOutput(OutputChunk chunk) {
      queue.add(chunk);
    }

    @Override
    public void onClosed(Throwable error) {
      queue.add(new Closed(error));
    }
  }
}
