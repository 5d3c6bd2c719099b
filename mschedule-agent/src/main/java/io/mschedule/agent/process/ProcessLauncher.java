package io.mschedule.agent.process;

/**
 * Starts scripts. The runner only talks to this interface: {@link LocalProcessLauncher} runs real
 * processes, {@link FakeProcessLauncher} plays scripted ones for tests and development.
 */
public interface ProcessLauncher {

  /**
   * Starts the script of the request.
   *
   * @return the running process; the caller must {@link LaunchedProcess#close() close} it
   * @throws LaunchException when the script could not be started (no work directory, missing
   *     interpreter, ...); nothing is left behind then
   */
  LaunchedProcess launch(LaunchRequest request) throws LaunchException;
}
