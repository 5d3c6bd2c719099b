package io.mschedule.relay.uplink;

/** The relay has no session with a master right now. */
public final class UplinkDownException extends RuntimeException {
  public UplinkDownException(String message) {
    super(message);
  }
}
