package io.mschedule.protocol.message;

/** The master asks an agent to run a script (the design's {@code task} message). */
public record TaskOrder(
    String id, byte[] script, int timeout, int parallel, double failRate, int failCount)
    implements Message {
  @Override
  public String type() {
    return MessageTypes.TASK;
  }
}
