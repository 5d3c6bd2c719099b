package io.mschedule.bench.sim;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link SimFleet} in a JVM of its own, so that fleets larger than one process's descriptor limit
 * can be simulated: the child prints what its agents report, one line per event ({@code R}
 * registered, {@code L} linked, {@code O} order, {@code A} result acknowledged, with {@link
 * System#nanoTime()} stamps, comparable between processes of one Linux machine), and the parent
 * passes the lines on to its {@link SimListener}.
 */
public final class FleetProcess implements AutoCloseable {
  private final Process process;
  private final AtomicInteger linked = new AtomicInteger();
  private final int size;

  private FleetProcess(Process process, int size) {
    this.process = process;
    this.size = size;
  }

  /** Starts a child fleet of {@code agents} on {@code host:port} reporting to {@code listener}. */
  public static FleetProcess start(
      String host,
      int port,
      int agents,
      String joinToken,
      int maxConnecting,
      Path log,
      SimListener listener) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-Xmx1g", "-cp", System.getProperty("java.class.path")));
    cmd.add(FleetProcess.class.getName());
    cmd.addAll(
        List.of(
            host,
            String.valueOf(port),
            String.valueOf(agents),
            joinToken,
            String.valueOf(maxConnecting)));
    try {
      Process p =
          new ProcessBuilder(cmd)
              .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectInput(new File("/dev/null"))
              .start();
      FleetProcess f = new FleetProcess(p, agents);
      Thread reader = new Thread(() -> f.read(listener), "fleet-reader-" + port);
      reader.setDaemon(true);
      reader.start();
      return f;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a fleet process", e);
    }
  }

  private void read(SimListener listener) {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        String[] f = line.split(" ");
        switch (f[0]) {
          case "R" -> listener.registered(0, Long.parseLong(f[1]));
          case "L" -> {
            linked.incrementAndGet();
            listener.linked(0, Long.parseLong(f[1]));
          }
          case "O" -> listener.order(0, f[1], Long.parseLong(f[2]));
          case "A" -> listener.resultAcked(0, f[1], Long.parseLong(f[2]));
          default -> {}
        }
      }
    } catch (IOException e) {
      // the child ended
    }
  }

  public int size() {
    return size;
  }

  /** Waits until every agent of the child opened its order stream. */
  public boolean awaitLinked(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (linked.get() < size && System.nanoTime() < end) {
      if (!process.isAlive()) {
        return false;
      }
      Thread.sleep(100);
    }
    return linked.get() >= size;
  }

  public int linkedCount() {
    return linked.get();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /** The child: {@code host port agents joinToken maxConnecting}; runs until killed. */
  public static void main(String[] args) throws Exception {
    PrintStream out =
        new PrintStream(
            new java.io.FileOutputStream(java.io.FileDescriptor.out),
            false,
            StandardCharsets.UTF_8);
    SimListener printer =
        new SimListener() {
          @Override
          public void registered(int agent, long nanos) {
            emit("R " + nanos);
          }

          @Override
          public void linked(int agent, long nanos) {
            emit("L " + nanos);
          }

          @Override
          public void order(int agent, String taskId, long nanos) {
            emit("O " + taskId + " " + nanos);
          }

          @Override
          public void resultAcked(int agent, String taskId, long nanos) {
            emit("A " + taskId + " " + nanos);
          }

          private void emit(String line) {
            synchronized (out) {
              out.println(line);
              out.flush();
            }
          }
        };
    SimOptions o =
        SimOptions.of(args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2]))
            .withJoinToken(args[3])
            .withMaxConnecting(Integer.parseInt(args[4]));
    try (SimFleet fleet = SimFleet.start(o, printer)) {
      Thread.sleep(Long.MAX_VALUE);
    }
  }
}
