package io.mschedule.master.api;

import io.javalin.http.sse.SseClient;
import io.mschedule.master.live.LiveChunk;
import io.mschedule.master.live.TaskEventListener;
import io.mschedule.master.live.TaskEvents;
import io.mschedule.master.store.TaskStore;
import io.mschedule.master.task.Run;
import io.mschedule.master.task.RunOutput;
import io.mschedule.master.task.Task;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * One SSE viewer of a task: a first {@code task} event with everything, then {@code run}, {@code
 * output} and {@code task} events until the task ends. Events are queued by the master's threads
 * and written by the viewer's own request thread, so a slow viewer never slows dispatch.
 */
final class TaskEventStream {
  private static final int QUEUE = 10_000;
  private static final long KEEPALIVE_SECONDS = 15;

  private final TaskStore store;
  private final TaskEvents events;
  private final Views views;
  private final UnaryOperator<String> resolveId;

  private record Event(String name, Object data, boolean last, String agent, long seq) {
    Event(String name, Object data, boolean last) {
      this(name, data, last, null, -1);
    }
  }

  /**
   * @param resolveId the whole task id for the id in the path (a unique prefix), or throws {@link
   *     ApiException}
   */
  TaskEventStream(
      TaskStore store, TaskEvents events, Views views, UnaryOperator<String> resolveId) {
    this.store = store;
    this.events = events;
    this.views = views;
    this.resolveId = resolveId;
  }

  /**
   * The first event: the task with its runs and the output of each so far (stored for ended runs,
   * the live tail for running ones). The runs are read before their outputs: a run that ends in
   * between shows as running with its whole stored output (written with its end) and its final
   * event follows; read the other way round it would show as ended without output, and a viewer
   * that takes it as ended would never show that output.
   *
   * @param skipBelow filled with the seq of each running run's next live chunk
   */
  Views.TaskJson snapshot(Task task, Map<String, Long> skipBelow) {
    List<Run> runs = store.runs(task.id());
    Map<String, RunOutput> outputs = new HashMap<>(store.runOutputs(task.id()));
    Map<String, Long> offsets = new HashMap<>();
    events
        .liveOutput(task.id())
        .forEach(
            (agent, snap) -> {
              if (outputs.putIfAbsent(agent, snap.runOutput()) == null) {
                offsets.put(agent, snap.offset());
              }
              skipBelow.put(agent, snap.nextSeq());
            });
    return views.task(task, runs, outputs, offsets);
  }

  void serve(SseClient client) throws Exception {
    String id;
    try {
      id = resolveId.apply(client.ctx().pathParam("id"));
    } catch (ApiException e) {
      client.sendEvent("error", Json.write(Map.of("status", e.status(), "error", e.getMessage())));
      return;
    }
    BlockingQueue<Event> queue = new ArrayBlockingQueue<>(QUEUE);
    boolean[] overflow = {false};
    TaskEventListener listener =
        new TaskEventListener() {
          @Override
          public void onTask(Task task) {
            // called on the coordinator's thread: queue the task, read its runs when sending
            offer(new Event("task", task, task.state().isFinal()));
          }

          @Override
          public void onRun(Run run, byte[] output) {
            onRun(run, output == null ? null : RunOutput.stdout(output));
          }

          @Override
          public void onRun(Run run, RunOutput output) {
            offer(new Event("run", views.run(run, output, 0), false));
          }

          @Override
          public void onOutput(String agentId, long seq, byte[] data) {
            throw new UnsupportedOperationException("output comes as live chunks");
          }

          @Override
          public void onOutput(String agentId, LiveChunk chunk) {
            offer(new Event("output", Views.output(agentId, chunk), false, agentId, chunk.seq()));
          }

          private void offer(Event e) {
            if (!queue.offer(e)) {
              overflow[0] = true;
            }
          }
        };
    try (AutoCloseable sub = events.subscribe(id, listener)) {
      Task task = store.findTask(id).orElse(null);
      if (task == null) {
        client.sendEvent(
            "error", Json.write(Map.of("status", 404, "error", "task " + id + " not found")));
        return;
      }
      // chunks already in this snapshot may also be queued: skip them by their seq
      Map<String, Long> skipBelow = new HashMap<>();
      client.sendEvent("task", Json.write(snapshot(task, skipBelow)));
      if (task.state().isFinal()) {
        return;
      }
      while (!client.terminated()) {
        Event e = queue.poll(KEEPALIVE_SECONDS, TimeUnit.SECONDS);
        if (overflow[0]) {
          overflow[0] = false;
          queue.clear();
          Task now = store.findTask(id).orElseThrow();
          client.sendEvent(
              "task", Json.write(views.task(now, store.runs(id), store.runOutputs(id))));
          if (now.state().isFinal()) {
            return;
          }
          continue;
        }
        if (e == null) {
          client.sendComment("keep-alive");
          continue;
        }
        if (e.agent() != null && e.seq() < skipBelow.getOrDefault(e.agent(), 0L)) {
          continue;
        }
        Object data =
            e.data() instanceof Task t ? views.task(t, store.runs(t.id()), null) : e.data();
        client.sendEvent(e.name(), Json.write(data));
        if (e.last()) {
          return;
        }
      }
    }
  }
}
