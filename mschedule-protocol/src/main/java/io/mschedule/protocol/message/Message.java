package io.mschedule.protocol.message;

/**
 * A type-tagged agent/master message: on the wire a map {@code {"type": TYPE, "payload": {...}}}.
 * New behaviour gets a new type; existing types are never redefined.
 */
public sealed interface Message
    permits Register,
        Heartbeat,
        OutputChunk,
        Result,
        Subscribe,
        Subscribed,
        TaskOrder,
        KillOrder,
        FetchFile {

  /** The wire name of this message's type. */
  String type();
}
