package io.mschedule.protocol.message;

/** The master asks an agent to kill the run of a task. */
public record KillOrder(String id) implements Message {
  @Override
  public String type() {
    return MessageTypes.KILL;
  }
}
