package io.mschedule.bench.sim;

import java.time.Duration;

/**
 * Settings of a simulated fleet.
 *
 * @param host the master's agent port host (loopback)
 * @param port the master's agent port
 * @param agents how many agents
 * @param heartbeat interval between {@code sendmsg(heartbeat)} calls, as real agents (5 s)
 * @param channelHeartbeat zerorpc per-channel heartbeat on the open {@code subscribe} stream (5 s)
 * @param taskDelay how long a fake run takes before its result is sent
 * @param outputBytes output bytes each fake run reports
 * @param maxConnecting agents connecting and registering at once (the rest wait their turn)
 * @param tag distinguishes the agent ids of one fleet from another's (hex digits)
 * @param joinToken sent in {@code register} (the plain listener refuses agents without one)
 */
public record SimOptions(
    String host,
    int port,
    int agents,
    Duration heartbeat,
    Duration channelHeartbeat,
    Duration taskDelay,
    int outputBytes,
    int maxConnecting,
    String tag,
    String joinToken) {

  public static SimOptions of(String host, int port, int agents) {
    return new SimOptions(
        host,
        port,
        agents,
        Duration.ofSeconds(5),
        Duration.ofSeconds(5),
        Duration.ZERO,
        16,
        256,
        Long.toHexString(System.nanoTime() & 0xffffffL),
        null);
  }

  /** The join token the simulated agents present (the master's plain listener requires one). */
  public SimOptions withJoinToken(String token) {
    return new SimOptions(
        host,
        port,
        agents,
        heartbeat,
        channelHeartbeat,
        taskDelay,
        outputBytes,
        maxConnecting,
        tag,
        token);
  }

  public SimOptions withTaskDelay(Duration d) {
    return new SimOptions(
        host,
        port,
        agents,
        heartbeat,
        channelHeartbeat,
        d,
        outputBytes,
        maxConnecting,
        tag,
        joinToken);
  }

  public SimOptions withOutputBytes(int n) {
    return new SimOptions(
        host,
        port,
        agents,
        heartbeat,
        channelHeartbeat,
        taskDelay,
        n,
        maxConnecting,
        tag,
        joinToken);
  }

  public SimOptions withHeartbeat(Duration d) {
    return new SimOptions(
        host,
        port,
        agents,
        d,
        channelHeartbeat,
        taskDelay,
        outputBytes,
        maxConnecting,
        tag,
        joinToken);
  }

  public SimOptions withMaxConnecting(int n) {
    return new SimOptions(
        host, port, agents, heartbeat, channelHeartbeat, taskDelay, outputBytes, n, tag, joinToken);
  }
}
