package io.mschedule.agent.runner;

import io.mschedule.agent.files.FileCancelledException;
import io.mschedule.agent.files.FileReceiver;
import io.mschedule.protocol.message.FileOrder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run of a copy order: puts each file at its destination and writes one output line per file,
 * {@code copied DEST} or {@code unchanged DEST}. The first file that cannot be put in place ends
 * the run with exit code 1, a {@code failed DEST: why} line and the reason as its error.
 */
final class CopyStep {
  private static final Logger log = LoggerFactory.getLogger(CopyStep.class);

  private final RunSpec spec;
  private final FileReceiver files;
  private final Clock clock;
  private final Supplier<TaskRun.StopReason> stop;

  CopyStep(RunSpec spec, FileReceiver files, Clock clock, Supplier<TaskRun.StopReason> stop) {
    this.spec = spec;
    this.files = files;
    this.clock = clock;
    this.stop = stop;
  }

  RunResult run(long startedAt, OutputCapture capture, OutputChunker chunker)
      throws InterruptedException {
    int code = 0;
    String error = null;
    RunStatus status = RunStatus.EXITED;
    for (FileOrder f : spec.files()) {
      String line;
      try {
        if (!Path.of(f.dest()).isAbsolute()) {
          throw new IOException("'" + f.dest() + "' is not an absolute path");
        }
        FileReceiver.Outcome outcome =
            files.place(spec.taskId(), f, Path.of(f.dest()), () -> stop.get() != null);
        line = outcome.word + " " + f.dest();
        log.info("task {}: {}", spec.taskId(), line);
      } catch (FileCancelledException e) {
        TaskRun.StopReason reason = stop.get();
        status = reason == TaskRun.StopReason.TIMEOUT ? RunStatus.TIMED_OUT : RunStatus.KILLED;
        code = RunResult.NO_CODE;
        error = reason.text + " while copying " + f.dest();
        write(capture, chunker, "stopped " + f.dest() + "\n");
        break;
      } catch (IOException | RuntimeException e) {
        code = 1;
        error = "cannot copy " + f.dest() + ": " + describe(e);
        log.info("task {}: {}", spec.taskId(), error);
        write(capture, chunker, "failed " + f.dest() + ": " + describe(e) + "\n");
        break;
      }
      write(capture, chunker, line + "\n");
    }
    capture.seal();
    chunker.close();
    return new RunResult(
        spec.taskId(),
        status,
        code,
        capture.kept(),
        capture.truncated(),
        capture.totalBytes(),
        error,
        startedAt,
        clock.millis());
  }

  private static void write(OutputCapture capture, OutputChunker chunker, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    capture.append(bytes, 0, bytes.length);
    chunker.append(bytes, 0, bytes.length);
  }

  private static String describe(Exception e) {
    String m = e.getMessage();
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied: " + m;
    }
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file or directory: " + m;
    }
    return m == null ? e.toString() : m;
  }
}
