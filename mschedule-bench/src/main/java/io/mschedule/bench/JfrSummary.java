package io.mschedule.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises the {@code jdk.ExecutionSample} events of a recording (what {@code jfr print --events
 * jdk.ExecutionSample} lists one by one): samples per thread, the hottest methods by self time (top
 * frame), and the hottest mschedule methods by inclusive time (anywhere on the stack).
 */
final class JfrSummary {
  private JfrSummary() {}

  static void print(Path file, int top, PrintStream out) throws IOException {
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> inclusive = new HashMap<>();
    Map<String, Integer> threads = new HashMap<>();
    int total = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
      if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
        continue;
      }
      total++;
      String thread =
          e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
      threads.merge(threadGroup(thread), 1, Integer::sum);
      RecordedStackTrace st = e.getStackTrace();
      if (st == null || st.getFrames().isEmpty()) {
        continue;
      }
      List<RecordedFrame> frames = st.getFrames();
      self.merge(name(frames.get(0)), 1, Integer::sum);
      Set<String> once = new HashSet<>();
      for (RecordedFrame f : frames) {
        String n = name(f);
        if (n.startsWith("io.mschedule.") && once.add(n)) {
          inclusive.merge(n, 1, Integer::sum);
        }
      }
    }
    out.printf("%d execution samples in %s%n", total, file);
    section(out, "samples by thread", threads, total, top);
    section(out, "hottest methods (self)", self, total, top);
    section(out, "hottest mschedule methods (inclusive)", inclusive, total, top);
  }

  private static void section(
      PrintStream out, String title, Map<String, Integer> counts, int total, int top) {
    out.println();
    out.println(title + ":");
    counts.entrySet().stream()
        .sorted((a, b) -> b.getValue() - a.getValue())
        .limit(top)
        .forEach(
            en ->
                out.printf(
                    "  %6d %5.1f%%  %s%n",
                    en.getValue(), 100.0 * en.getValue() / Math.max(1, total), en.getKey()));
  }

  private static String name(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }

  /** Thread names without their trailing numbers, so pools show as one line. */
  private static String threadGroup(String name) {
    return name.replaceAll("-?\\d+$", "").replaceAll("-\\d+-", "-N-");
  }
}
