package io.mschedule.master.store;

/** The operator's decision on an agent's key. */
public enum KeyState {
  PENDING,
  ACCEPTED,
  REJECTED
}
