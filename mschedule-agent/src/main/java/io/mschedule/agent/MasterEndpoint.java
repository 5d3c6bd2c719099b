package io.mschedule.agent;

/** One master the agent may connect to: its agent endpoint and its public CURVE key. */
public record MasterEndpoint(String endpoint, byte[] key) {
  public MasterEndpoint {
    key = key.clone();
  }

  @Override
  public byte[] key() {
    return key.clone();
  }

  @Override
  public String toString() {
    return endpoint;
  }
}
