package io.mschedule.master.task;

/** Thrown when code asks for a state change that the transition table does not allow. */
public final class IllegalTransitionException extends IllegalStateException {
  public IllegalTransitionException(String what, Enum<?> from, Enum<?> to) {
    super("illegal " + what + " transition " + from + " -> " + to);
  }
}
