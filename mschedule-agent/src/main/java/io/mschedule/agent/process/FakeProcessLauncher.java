package io.mschedule.agent.process;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A launcher that plays scripted processes instead of running anything: an exit code, output and a
 * duration per launch, or a launch failure. It honours {@link LaunchedProcess#terminate()} (exit
 * code 143, unless told to ignore it) and {@link LaunchedProcess#forceKill()} (137), and records
 * the signals it got. For tests and development.
 *
 * <p>By default every launch prints its script back and exits with 0 at once.
 */
public final class FakeProcessLauncher implements ProcessLauncher {

  /** Exit code of a fake process stopped by {@link LaunchedProcess#terminate()}. */
  public static final int TERM_EXIT_CODE = 128 + 15;

  /** Exit code of a fake process stopped by {@link LaunchedProcess#forceKill()}. */
  public static final int KILL_EXIT_CODE = 128 + 9;

  private final Function<LaunchRequest, Behavior> behaviors;
  private final List<LaunchRequest> launches = new CopyOnWriteArrayList<>();
  private final List<FakeProcess> processes = new CopyOnWriteArrayList<>();

  /** A launcher whose processes print their script and exit with 0. */
  public FakeProcessLauncher() {
    this(request -> Behavior.exit(0).withOutput(request.script()));
  }

  /** A launcher that asks {@code behaviors} how each launch behaves. */
  public FakeProcessLauncher(Function<LaunchRequest, Behavior> behaviors) {
    this.behaviors = Objects.requireNonNull(behaviors, "behaviors");
  }

  /** A launcher whose every launch behaves the same. */
  public static FakeProcessLauncher always(Behavior behavior) {
    Objects.requireNonNull(behavior, "behavior");
    return new FakeProcessLauncher(request -> behavior);
  }

  @Override
  public LaunchedProcess launch(LaunchRequest request) throws LaunchException {
    launches.add(request);
    Behavior behavior = Objects.requireNonNull(behaviors.apply(request), "behavior");
    if (behavior.launchError != null) {
      throw new LaunchException(behavior.launchError);
    }
    try {
      request.gate().await();
    } catch (java.io.IOException e) {
      throw new LaunchException(e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LaunchException("the run was interrupted before its script started", e);
    }
    FakeProcess process = new FakeProcess(request, behavior);
    processes.add(process);
    return process;
  }

  /** Every request this launcher got, in order. */
  public List<LaunchRequest> launches() {
    return List.copyOf(launches);
  }

  /** Every process this launcher started, in order. */
  public List<FakeProcess> processes() {
    return List.copyOf(processes);
  }

  /** How a fake process behaves. Immutable; the {@code with...} methods return copies. */
  public static final class Behavior {
    private final int exitCode;
    private final Supplier<InputStream> output;
    private final Duration duration; // null: until stopped
    private final boolean ignoreTerm;
    private final String launchError;

    private Behavior(
        int exitCode,
        Supplier<InputStream> output,
        Duration duration,
        boolean ignoreTerm,
        String launchError) {
      this.exitCode = exitCode;
      this.output = output;
      this.duration = duration;
      this.ignoreTerm = ignoreTerm;
      this.launchError = launchError;
    }

    /** Exits with {@code code} at once, without output. */
    public static Behavior exit(int code) {
      return new Behavior(code, () -> InputStream.nullInputStream(), Duration.ZERO, false, null);
    }

    /** Runs until it is stopped, without output. */
    public static Behavior runUntilStopped() {
      return new Behavior(0, () -> InputStream.nullInputStream(), null, false, null);
    }

    /** Fails to launch with this error text. */
    public static Behavior failToStart(String error) {
      return new Behavior(
          -1,
          () -> InputStream.nullInputStream(),
          Duration.ZERO,
          false,
          Objects.requireNonNull(error));
    }

    /** Writes this text (UTF-8) first. */
    public Behavior withOutput(String text) {
      return withOutput(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes these bytes first. */
    public Behavior withOutput(byte[] bytes) {
      byte[] copy = bytes.clone();
      return withOutput(() -> new ByteArrayInputStream(copy));
    }

    /** Writes what a fresh stream from {@code source} yields first (for large outputs). */
    public Behavior withOutput(Supplier<InputStream> source) {
      return new Behavior(
          exitCode, Objects.requireNonNull(source), duration, ignoreTerm, launchError);
    }

    /**
     * Exits no earlier than {@code duration} after the launch (and not before its output is read).
     */
    public Behavior lasting(Duration duration) {
      return new Behavior(
          exitCode, output, Objects.requireNonNull(duration), ignoreTerm, launchError);
    }

    /**
     * Ignores {@link LaunchedProcess#terminate()}, so only {@link LaunchedProcess#forceKill()}
     * stops it.
     */
    public Behavior ignoringTerm() {
      return new Behavior(exitCode, output, duration, true, launchError);
    }
  }

  /** A fake process. */
  public static final class FakeProcess implements LaunchedProcess {
    private final LaunchRequest request;
    private final Behavior behavior;
    private final long exitNotBeforeNanos;
    private final List<String> signals = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    private final InputStream output;

    // guarded by lock
    private Integer exitCode;
    private boolean outputRead;
    private boolean closed;

    FakeProcess(LaunchRequest request, Behavior behavior) {
      this.request = request;
      this.behavior = behavior;
      this.exitNotBeforeNanos =
          behavior.duration == null ? 0 : System.nanoTime() + behavior.duration.toNanos();
      this.output = new Output(behavior.output);
    }

    /** The request that started it. */
    public LaunchRequest request() {
      return request;
    }

    /** The signals it got, in order: {@code TERM} and {@code KILL}. */
    public List<String> signals() {
      return List.copyOf(signals);
    }

    /** True once {@link #close()} was called. */
    public boolean isClosed() {
      synchronized (lock) {
        return closed;
      }
    }

    @Override
    public long pid() {
      return -1;
    }

    @Override
    public InputStream output() {
      return output;
    }

    @Override
    public boolean waitFor(Duration timeout) throws InterruptedException {
      return await(Math.max(0, timeout.toNanos()), false);
    }

    @Override
    public boolean isAlive() {
      try {
        return !await(0, false);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return true;
      }
    }

    @Override
    public int exitCode() {
      synchronized (lock) {
        if (exitCode == null && !naturalExitDue()) {
          throw new IllegalStateException("task " + request.taskId() + " is still running");
        }
        exitIfDue();
        return exitCode;
      }
    }

    @Override
    public void terminate() {
      signals.add("TERM");
      if (!behavior.ignoreTerm) {
        stop(TERM_EXIT_CODE);
      }
    }

    @Override
    public void forceKill() {
      signals.add("KILL");
      stop(KILL_EXIT_CODE);
    }

    @Override
    public void close() {
      synchronized (lock) {
        closed = true;
        lock.notifyAll();
      }
    }

    private void stop(int code) {
      synchronized (lock) {
        exitIfDue();
        if (exitCode == null) {
          exitCode = code;
          lock.notifyAll();
        }
      }
    }

    /** Waits until the process has exited (or, with {@code orClosed}, was closed). */
    private boolean await(long timeoutNanos, boolean orClosed) throws InterruptedException {
      long deadline = System.nanoTime() + timeoutNanos;
      synchronized (lock) {
        while (true) {
          exitIfDue();
          if (exitCode != null || (orClosed && closed)) {
            return exitCode != null;
          }
          long now = System.nanoTime();
          long wait = deadline - now;
          if (wait <= 0) {
            return false;
          }
          if (outputRead && behavior.duration != null) {
            wait = Math.min(wait, Math.max(1, exitNotBeforeNanos - now));
          }
          TimeUnit.NANOSECONDS.timedWait(lock, wait);
        }
      }
    }

    private boolean naturalExitDue() {
      return outputRead && behavior.duration != null && System.nanoTime() - exitNotBeforeNanos >= 0;
    }

    private void exitIfDue() {
      if (exitCode == null && naturalExitDue()) {
        exitCode = behavior.exitCode;
        lock.notifyAll();
      }
    }

    /** The output: the scripted bytes, then end of file once the process has exited. */
    private final class Output extends InputStream {
      private final Supplier<InputStream> sourceSupplier;
      private InputStream source;

      Output(Supplier<InputStream> sourceSupplier) {
        this.sourceSupplier = sourceSupplier;
      }

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        synchronized (lock) {
          if (closed) {
            throw new IOException("closed");
          }
          if (exitCode != null) {
            return -1; // stopped: the rest is never written
          }
        }
        if (len == 0) {
          return 0;
        }
        if (source == null) {
          source = sourceSupplier.get();
        }
        int n = source.read(b, off, len);
        if (n >= 0) {
          return n;
        }
        synchronized (lock) {
          outputRead = true;
          lock.notifyAll();
        }
        try {
          await(Long.MAX_VALUE, true);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
        return -1;
      }
    }
  }
}
