package io.mschedule.protocol.zerorpc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The routing envelope a ROUTER socket saw a request arrive with: normally the single identity
 * frame ZeroMQ generates for the connection. It names one connection, not one agent: a reconnecting
 * agent gets a new one.
 */
public final class PeerId {
  private final byte[][] frames;
  private final int hash;
  private final byte[] curveKey;
  private final String address;
  private final boolean relayed;

  PeerId(byte[][] frames) {
    this(frames, null, null);
  }

  PeerId(byte[][] frames, byte[] curveKey, String address) {
    this(frames, curveKey, address, false);
  }

  private PeerId(byte[][] frames, byte[] curveKey, String address, boolean relayed) {
    this.relayed = relayed;
    this.frames = frames;
    this.hash = Arrays.deepHashCode(frames);
    this.curveKey = curveKey;
    this.address = hostOf(address);
  }

  /** JeroMQ reports {@code host:port}; the port changes with every connection, so drop it. */
  private static String hostOf(String address) {
    if (address == null) {
      return null;
    }
    String a = address.replaceFirst(":[0-9]+$", "");
    return a.startsWith("[") && a.endsWith("]") ? a.substring(1, a.length() - 1) : a;
  }

  /**
   * The IP address of the connection's remote end, as the transport saw it (not something the
   * client says about itself); empty when unknown (e.g. inproc). Not part of equality.
   */
  public Optional<String> address() {
    return Optional.ofNullable(address);
  }

  /**
   * The CURVE public key the client proved in the handshake (32 bytes), when the server uses CURVE.
   * Not part of equality: a connection has one key.
   */
  public Optional<byte[]> curveKey() {
    return curveKey == null ? Optional.empty() : Optional.of(curveKey.clone());
  }

  /**
   * A peer reached through a relay: {@code identity} names its connection at the relay, {@code
   * curveKey} is the key it proved there (null: none) and {@code address} the address the relay
   * saw.
   */
  public static PeerId relayed(byte[] identity, byte[] curveKey, String address) {
    return new PeerId(
        new byte[][] {identity.clone()}, curveKey == null ? null : curveKey.clone(), address, true);
  }

  /** True for a peer reached through a relay ({@link #relayed}). Not part of equality. */
  public boolean isRelayed() {
    return relayed;
  }

  /** A peer id over a single identity frame. */
  public static PeerId of(byte[] identity) {
    return new PeerId(new byte[][] {identity.clone()});
  }

  /** The first routing frame: the identity ZeroMQ gave the connection. */
  public byte[] identity() {
    return frames[0].clone();
  }

  /** All routing frames, outermost first (more than one only behind a ROUTER-to-ROUTER hop). */
  public List<byte[]> frames() {
    List<byte[]> out = new ArrayList<>(frames.length);
    for (byte[] f : frames) {
      out.add(f.clone());
    }
    return out;
  }

  byte[][] rawFrames() {
    return frames;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeerId p && hash == p.hash && Arrays.deepEquals(frames, p.frames);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("peer:");
    for (int i = 0; i < frames.length; i++) {
      if (i > 0) {
        sb.append('/');
      }
      sb.append(Bytes.hex(frames[i]));
    }
    return sb.toString();
  }
}
