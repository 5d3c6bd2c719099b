package io.mschedule.protocol.message;

import java.util.List;

/**
 * The end of one run.
 *
 * @param status {@code exited}, {@code timed_out}, {@code killed}, {@code failed_to_start}, or
 *     {@code lost} (the agent restarted while the script ran)
 * @param code exit code, -1 when there is none
 * @param error why the script could not start, or null
 * @param streams which bytes of {@code output} came from stdout and which from stderr ({@link
 *     OutputStreams#ALL_STDOUT} from older agents)
 * @param attempt the attempt of the run this result ends (the order's {@code attempt}); 1 when the
 *     agent sends none
 * @param lastChunks the run's live output chunks not sent on their own (the last ones, read just
 *     before the run ended), in order; their {@code id} and {@code agentId} are the result's. Empty
 *     from older agents, which send every chunk as an {@code output} message
 */
public record Result(
    String id,
    String agentId,
    String status,
    int code,
    byte[] output,
    boolean truncated,
    String error,
    long startedAt,
    long finishedAt,
    OutputStreams streams,
    int attempt,
    List<OutputChunk> lastChunks)
    implements Message {

  public Result {
    streams = streams == null ? OutputStreams.ALL_STDOUT : streams;
    lastChunks = lastChunks == null ? List.of() : List.copyOf(lastChunks);
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be at least 1, got " + attempt);
    }
  }

  /** A result without live output chunks of its own. */
  public Result(
      String id,
      String agentId,
      String status,
      int code,
      byte[] output,
      boolean truncated,
      String error,
      long startedAt,
      long finishedAt,
      OutputStreams streams,
      int attempt) {
    this(
        id,
        agentId,
        status,
        code,
        output,
        truncated,
        error,
        startedAt,
        finishedAt,
        streams,
        attempt,
        List.of());
  }

  /** This result carrying these last output chunks. */
  public Result withLastChunks(List<OutputChunk> chunks) {
    return new Result(
        id,
        agentId,
        status,
        code,
        output,
        truncated,
        error,
        startedAt,
        finishedAt,
        streams,
        attempt,
        chunks);
  }

  /** The result of a first attempt whose output is all stdout, as older agents send it. */
  public Result(
      String id,
      String agentId,
      String status,
      int code,
      byte[] output,
      boolean truncated,
      String error,
      long startedAt,
      long finishedAt) {
    this(
        id,
        agentId,
        status,
        code,
        output,
        truncated,
        error,
        startedAt,
        finishedAt,
        OutputStreams.ALL_STDOUT,
        1);
  }

  public static final String EXITED = "exited";
  public static final String TIMED_OUT = "timed_out";
  public static final String KILLED = "killed";
  public static final String FAILED_TO_START = "failed_to_start";
  public static final String LOST = "lost";

  @Override
  public String type() {
    return MessageTypes.RESULT;
  }
}
