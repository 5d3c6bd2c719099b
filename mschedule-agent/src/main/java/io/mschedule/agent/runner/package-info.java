/**
 * Running scripts on the agent: {@link io.mschedule.agent.runner.RunManager} takes a {@link
 * io.mschedule.agent.runner.RunSpec}, runs it through a {@link
 * io.mschedule.agent.process.ProcessLauncher}, streams output chunks to a {@link
 * io.mschedule.agent.runner.RunListener} and hands it exactly one {@link
 * io.mschedule.agent.runner.RunResult}.
 *
 * <h2>How a run ends</h2>
 *
 * <ul>
 *   <li><b>exited</b>: the script's main process ended by itself; the code is its exit code.
 *   <li><b>timed_out</b> / <b>killed</b>: the timeout passed, or {@code kill} (or {@code shutdown})
 *       was called. The whole process tree gets SIGTERM; once it is quiet or the kill grace has
 *       passed, whatever is left gets SIGKILL. The code is the one the main process died with (143
 *       for SIGTERM, 137 for SIGKILL).
 *   <li><b>failed_to_start</b>: no work directory, no interpreter, no process: code -1 and the
 *       reason as error text. Never an exit code.
 * </ul>
 *
 * <h2>Output</h2>
 *
 * <p>stdout and stderr are read apart (two pipes, one reader thread each) and kept in the order the
 * reads returned, so the output reads as it would on a terminal and each byte's stream is known:
 * chunks hold one stream each, and the result's output carries its stream runs. Each stream lasts
 * until every process holding it has closed it, so output of background jobs that finish shortly
 * after the script is kept. If processes started in the background still hold it {@code
 * outputDrain} after the script exited, they are stopped (TERM, grace, KILL) and the result's error
 * says so; background processes that detached their output ({@code nohup svc >/dev/null 2>&1 &})
 * are left running.
 *
 * <p>Memory per run is bounded: the result keeps at most {@code maxOutputBytes} (the head and the
 * last {@code outputTailBytes}, with a marker line {@code [mschedule: N bytes of output omitted]}
 * between them), and chunks of at most {@code chunkBytes} go to the listener at the latest {@code
 * chunkInterval} after the output was produced.
 *
 * <h2>Threads</h2>
 *
 * <p>Three per running script (the run and its stdout and stderr readers), none when idle, at most
 * {@code maxConcurrentRuns} scripts at once; runs beyond that wait in a queue without a thread.
 */
package io.mschedule.agent.runner;
