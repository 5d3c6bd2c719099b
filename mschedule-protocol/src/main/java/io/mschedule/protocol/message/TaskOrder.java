package io.mschedule.protocol.message;

import java.util.List;
import java.util.Map;

/**
 * The master asks an agent to run a script (the design's {@code task} message).
 *
 * @param scriptSha256 the SHA-256 of {@code script} as lower-case hex, or null (older masters send
 *     none); an agent refuses a script that does not match it
 * @param env variables the script gets in its environment (empty when none)
 * @param files files the agent fetches from the master before the run (empty when none)
 * @param copy true when the run only puts {@code files} in place (no script runs); older agents
 *     ignore it and run {@code script}, which then says they cannot copy
 * @param attempt which attempt of the run this is, from 1 (a failed run the task retries is ordered
 *     again with the next number); older masters send none, which means 1
 */
public record TaskOrder(
    String id,
    byte[] script,
    int timeout,
    int parallel,
    double failRate,
    int failCount,
    String scriptSha256,
    Map<String, String> env,
    List<FileOrder> files,
    boolean copy,
    int attempt)
    implements Message {

  public TaskOrder {
    env = env == null ? Map.of() : Map.copyOf(env);
    files = files == null ? List.of() : List.copyOf(files);
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be at least 1, got " + attempt);
    }
  }

  /** A first attempt without files. */
  public TaskOrder(
      String id,
      byte[] script,
      int timeout,
      int parallel,
      double failRate,
      int failCount,
      String scriptSha256,
      Map<String, String> env) {
    this(
        id, script, timeout, parallel, failRate, failCount, scriptSha256, env, List.of(), false, 1);
  }

  /** An order without checksum or environment, as older masters send it. */
  public TaskOrder(
      String id, byte[] script, int timeout, int parallel, double failRate, int failCount) {
    this(id, script, timeout, parallel, failRate, failCount, null, Map.of());
  }

  @Override
  public String type() {
    return MessageTypes.TASK;
  }
}
