package io.mschedule.protocol.message;

/** An agent opens its stream of orders. */
public record Subscribe(String id) implements Message {
  @Override
  public String type() {
    return MessageTypes.SUBSCRIBE;
  }
}
