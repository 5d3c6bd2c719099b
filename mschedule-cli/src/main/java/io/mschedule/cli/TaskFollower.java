package io.mschedule.cli;

import io.mschedule.cli.client.ApiException;
import io.mschedule.cli.client.EventListener;
import io.mschedule.cli.client.EventStream;
import io.mschedule.cli.client.MasterClient;
import io.mschedule.cli.client.MasterUnreachableException;
import io.mschedule.cli.client.OutputChunk;
import io.mschedule.cli.client.Run;
import io.mschedule.cli.client.Task;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Follows a task until it ends, printing each run as it ends. It listens to the task's live events;
 * when the stream is not available or breaks before the task's end, it polls {@code GET
 * /api/v1/tasks/{id}} instead, so no run is missed. It always finishes with one {@code GET} and
 * returns that final task (with outputs).
 *
 * <p>Modes: {@link Mode#BLOCKS} prints each run's block (status line and output) when it ends;
 * {@link Mode#LIVE} streams output as it arrives and prints the status line when a run ends; {@link
 * Mode#QUIET} prints nothing.
 */
final class TaskFollower {
  enum Mode {
    BLOCKS,
    LIVE,
    QUIET
  }

  private static final Duration UNREACHABLE_GRACE = Duration.ofSeconds(60);

  private final MasterClient client;
  private final PrintWriter out;
  private final PrintWriter err;
  private final Mode mode;
  private final RunPrinter printer;
  private final Duration minPoll;
  private final Duration maxPoll;

  private final Set<String> ended = new HashSet<>();
  private final Map<String, StringBuilder> buffers = new HashMap<>();
  private final Map<String, String> hostnames = new HashMap<>();
  private LiveOutput live;

  TaskFollower(MasterClient client, PrintWriter out, PrintWriter err, Mode mode) {
    this(client, out, err, mode, Duration.ofMillis(500), Duration.ofSeconds(5));
  }

  TaskFollower(
      MasterClient client,
      PrintWriter out,
      PrintWriter err,
      Mode mode,
      Duration minPoll,
      Duration maxPoll) {
    this.client = client;
    this.out = out;
    this.err = err;
    this.mode = mode;
    this.printer = new RunPrinter(out);
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
  }

  /** Handles events until the task's final state (null) or the stream's premature end. */
  private Closed consume(BlockingQueue<Object> queue) throws InterruptedException {
    boolean first = true;
    while (true) {
      Object ev = queue.take();
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
        runChanged(run);
      } else if (ev instanceof OutputChunk chunk) {
        output(chunk);
      } else if (ev instanceof Closed closed) {
        return closed;
      }
    }
  }

  /** The first task event: the whole task, outputs included. */
  private void start(Task task) {
    if (mode == Mode.LIVE) {
      live = new LiveOutput(out, task.runs().size() > 1);
    }
    for (Run run : task.runs()) {
      if (run.state().isFinal() && !ended.contains(run.agentId())) {
        ended.add(run.agentId());
        if (mode != Mode.QUIET) {
          printer.block(run);
        }
      }
    }
  }

  private void runChanged(Run run) {
    if (!run.state().isFinal() || ended.contains(run.agentId())) {
      return;
    }
    ended.add(run.agentId());
    StringBuilder buf = buffers.remove(run.agentId());
    switch (mode) {
      // the stored output comes with the run's final event; live chunks are the fallback
      case BLOCKS ->
          printer.block(
              run.output() != null ? run : run.withOutput(buf == null ? null : buf.toString()));
      case LIVE -> {
        liveOutput().end(run.agentId(), RunPrinter.host(run));
        printer.status(run);
      }
      case QUIET -> {}
    }
  }

  private void output(OutputChunk chunk) {
    String agent = chunk.agentId();
    if (agent == null || ended.contains(agent) || mode == Mode.QUIET) {
      return;
    }
    if (mode == Mode.LIVE) {
      liveOutput().write(agent, hostnames.getOrDefault(agent, agent), chunk.data());
    } else {
      buffers.computeIfAbsent(agent, a -> new StringBuilder()).append(chunk.data());
    }
  }

  private void noteHost(Run r) {
    if (r.agentId() != null && r.hostname() != null) {
      hostnames.put(r.agentId(), r.hostname());
    }
  }

  private LiveOutput liveOutput() {
    if (live == null) {
      live = new LiveOutput(out, true);
    }
    return live;
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
      for (Run run : task.runs()) {
        if (run.state().isFinal() && ended.add(run.agentId())) {
          changed = true;
          buffers.remove(run.agentId());
          if (mode != Mode.QUIET) {
            if (live != null) {
              live.end(run.agentId(), RunPrinter.host(run));
            }
            printer.block(run);
          }
        }
      }
      if (task.state().isFinal()) {
        return task;
      }
      delay = changed ? minPoll : min(maxPoll, delay.multipliedBy(3).dividedBy(2));
      Thread.sleep(delay.toMillis());
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private void warn(String message) {
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
