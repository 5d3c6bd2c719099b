package io.mschedule.master.relay;

import io.mschedule.protocol.message.RelayMessages;
import io.mschedule.protocol.zerorpc.PeerId;
import io.mschedule.protocol.zerorpc.ServerCall;
import io.mschedule.protocol.zerorpc.ServerStream;
import java.util.Arrays;
import java.util.List;
import org.msgpack.value.Value;

/**
 * The answers to a {@code relay_calls} batch: each call answers into its own slot, and the relay's
 * call is answered once, when the last slot is filled.
 */
final class BatchAnswers {
  private final ServerCall outer;
  private final String relayId;
  private final RelayMessages.Answer[] answers;
  private int missing;

  BatchAnswers(ServerCall outer, String relayId, int size) {
    this.outer = outer;
    this.relayId = relayId;
    this.answers = new RelayMessages.Answer[size];
    this.missing = size;
    if (size == 0) {
      outer.reply(RelayMessages.Calls.reply(relayId, List.of()));
    }
  }

  /** The stand-in for the relay's call that call {@code i} answers through. */
  ServerCall slot(int i) {
    return new Slot(i);
  }

  private void answer(int i, RelayMessages.Answer a) {
    List<RelayMessages.Answer> all;
    synchronized (this) {
      if (answers[i] != null) {
        return; // a call is answered once
      }
      answers[i] = a;
      if (--missing > 0) {
        return;
      }
      all = Arrays.asList(answers);
    }
    outer.reply(RelayMessages.Calls.reply(relayId, all));
  }

  private final class Slot implements ServerCall {
    private final int index;

    Slot(int index) {
      this.index = index;
    }

    @Override
    public String method() {
      return outer.method();
    }

    @Override
    public List<Value> args() {
      return outer.args();
    }

    @Override
    public PeerId peer() {
      return outer.peer();
    }

    @Override
    public boolean isOpen() {
      return outer.isOpen();
    }

    @Override
    public void reply(Value result) {
      answer(index, RelayMessages.Answer.of(result));
    }

    @Override
    public void error(String name, String message) {
      answer(index, RelayMessages.Answer.failed(name, message));
    }

    /** A subscribe opens a stream on the relay's own stream: it is never batched. */
    @Override
    public ServerStream openStream() {
      throw new UnsupportedOperationException("relay_calls carries no subscribe");
    }
  }
}
