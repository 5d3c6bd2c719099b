package io.mschedule.protocol.zerorpc;

import java.util.Arrays;

/** Server channel table key: the peer plus the raw bytes of the channel id. */
final class ChannelKey {
  private final PeerId peer;
  private final byte[] id;
  private final int hash;

  ChannelKey(PeerId peer, byte[] id) {
    this.peer = peer;
    this.id = id;
    this.hash = 31 * peer.hashCode() + Arrays.hashCode(id);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChannelKey k
        && hash == k.hash
        && Arrays.equals(id, k.id)
        && peer.equals(k.peer);
  }

  @Override
  public int hashCode() {
    return hash;
  }
}
