package io.mschedule.agent.process;

import java.io.InputStream;
import java.time.Duration;

/**
 * A started script: its main process plus whatever it starts (its process tree).
 *
 * <p>Stopping is two steps so that the caller owns the timing: {@link #terminate()} asks the whole
 * tree to stop (SIGTERM), {@link #forceKill()} stops it (SIGKILL). Both may be called several times
 * and after the main process has exited (to stop what it left behind).
 */
public interface LaunchedProcess extends AutoCloseable {

  /** The operating-system id of the main process, or -1 when there is none. */
  long pid();

  /**
   * The script's stdout (or, for a launcher that does not tell the streams apart, stdout and stderr
   * merged). It ends when every process holding it has closed it, which may be after the main
   * process has exited. Read it from one thread.
   */
  InputStream output();

  /**
   * The script's stderr, read apart from {@link #output()} and ending the same way; empty by
   * default (for a launcher that merges it into {@link #output()}). Read it from one thread.
   */
  default InputStream errorOutput() {
    return InputStream.nullInputStream();
  }

  /**
   * Waits for the main process to exit.
   *
   * @return true when it has exited, false when the timeout passed first
   */
  boolean waitFor(Duration timeout) throws InterruptedException;

  /** True while the main process has not exited. */
  boolean isAlive();

  /**
   * True while a process of the run other than the main one may be alive, holding the output open
   * (by default, always: a launcher that cannot tell says so).
   */
  default boolean othersAlive() {
    return true;
  }

  /**
   * The exit code of the main process: its own code, or 128 + the signal that ended it.
   *
   * @throws IllegalStateException while it is still running
   */
  int exitCode();

  /**
   * Sends SIGTERM to the whole process tree, including processes that left it in the background.
   */
  void terminate();

  /**
   * Sends SIGKILL to the whole process tree, including processes that left it in the background.
   */
  void forceKill();

  /**
   * Releases what the launch created: closes the output and removes the work directory. Does not
   * stop processes that are still running; call {@link #forceKill()} first for that.
   */
  @Override
  void close();
}
