package io.mschedule.protocol.message;

/** First item of every order stream. */
public record Subscribed(String id) implements Message {
  @Override
  public String type() {
    return MessageTypes.SUBSCRIBED;
  }
}
