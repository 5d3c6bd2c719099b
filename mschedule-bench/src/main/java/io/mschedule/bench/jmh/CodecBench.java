package io.mschedule.bench.jmh;

import io.mschedule.protocol.message.Heartbeat;
import io.mschedule.protocol.message.Message;
import io.mschedule.protocol.message.MessageCodec;
import io.mschedule.protocol.message.MessageTypes;
import io.mschedule.protocol.message.Result;
import io.mschedule.protocol.message.TaskOrder;
import io.mschedule.protocol.zerorpc.Event;
import io.mschedule.protocol.zerorpc.MessageId;
import io.mschedule.protocol.zerorpc.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The wire path of every agent message: the zerorpc event codec ({@link Event}, msgpack) and the
 * message codec ({@link MessageCodec}) for the three messages that dominate traffic: heartbeat
 * (every agent, every 5 s), task order (one per run) and result (one per run, with output).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBench {
  @Param({"16", "65536"})
  public int outputBytes;

  private Heartbeat heartbeat;
  private Result result;
  private TaskOrder order;
  private Value heartbeatValue;
  private Value resultValue;
  private Value orderValue;
  private byte[] heartbeatEvent;
  private byte[] resultEvent;

  @Setup
  public void setup() {
    String id = "4f0c9e8a2b3d4c5e8f9a0b1c2d3e4f50";
    heartbeat = new Heartbeat(id, "web-01", List.of("10.1.2.3"), List.of());
    byte[] out = new byte[outputBytes];
    Arrays.fill(out, (byte) 'x');
    result =
        new Result(
            "0d4c9e8a2b3d4c5e8f9a0b1c2d3e4f51", id, Result.EXITED, 0, out, false, null, 1L, 2L);
    order =
        new TaskOrder(
            "0d4c9e8a2b3d4c5e8f9a0b1c2d3e4f51",
            "hostname\n".getBytes(StandardCharsets.UTF_8),
            0,
            0,
            0,
            -1);
    heartbeatValue = MessageCodec.encode(heartbeat);
    resultValue = MessageCodec.encode(result);
    orderValue = MessageCodec.encode(order);
    heartbeatEvent = event(heartbeatValue);
    resultEvent = event(resultValue);
  }

  private static byte[] event(Value message) {
    return Event.create(
            MessageId.generate(), null, MessageTypes.METHOD_SENDMSG, ValueFactory.newArray(message))
        .encode();
  }

  @Benchmark
  public Value encodeHeartbeat() {
    return MessageCodec.encode(heartbeat);
  }

  @Benchmark
  public Message decodeHeartbeat() {
    return MessageCodec.decode(heartbeatValue);
  }

  @Benchmark
  public Value encodeResult() {
    return MessageCodec.encode(result);
  }

  @Benchmark
  public Message decodeResult() {
    return MessageCodec.decode(resultValue);
  }

  @Benchmark
  public Value encodeTaskOrder() {
    return MessageCodec.encode(order);
  }

  @Benchmark
  public Message decodeTaskOrder() {
    return MessageCodec.decode(orderValue);
  }

  /** What an agent does to send a heartbeat: message → msgpack event bytes. */
  @Benchmark
  public byte[] eventEncodeHeartbeat() {
    return event(MessageCodec.encode(heartbeat));
  }

  /** What the master's I/O thread and handler do with a heartbeat: bytes → event → message. */
  @Benchmark
  public Message eventDecodeHeartbeat() throws ProtocolException {
    return MessageCodec.decode(Event.decode(heartbeatEvent).args().asArrayValue().get(0));
  }

  @Benchmark
  public byte[] eventEncodeResult() {
    return event(MessageCodec.encode(result));
  }

  @Benchmark
  public Message eventDecodeResult() throws ProtocolException {
    return MessageCodec.decode(Event.decode(resultEvent).args().asArrayValue().get(0));
  }
}
