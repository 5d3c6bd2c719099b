package io.mschedule.bench.sim;

import io.mschedule.protocol.message.BadMessageException;
import io.mschedule.protocol.message.Heartbeat;
import io.mschedule.protocol.message.Message;
import io.mschedule.protocol.message.MessageCodec;
import io.mschedule.protocol.message.MessageTypes;
import io.mschedule.protocol.message.Register;
import io.mschedule.protocol.message.Result;
import io.mschedule.protocol.message.Subscribe;
import io.mschedule.protocol.message.TaskOrder;
import io.mschedule.protocol.zerorpc.Event;
import io.mschedule.protocol.zerorpc.MessageId;
import io.mschedule.protocol.zerorpc.ProtocolException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

/**
 * Many simulated agents in one process. Each agent has its own TCP connection to the master's agent
 * port and speaks the real protocol on it: ZMTP 3.0 as a DEALER socket, zerorpc events encoded with
 * {@link Event}, messages encoded with {@link MessageCodec}. It registers, keeps a {@code
 * subscribe} stream open (with {@code _zpc_more} credit and {@code _zpc_hb} channel heartbeats),
 * sends {@code heartbeat} every interval (or every {@code stream_heartbeat} of the register answer
 * when the master gives a longer one, as the real agent does), and answers each {@code task} order
 * with a {@code result} after a configurable delay and output. Only the process is fake.
 *
 * <p>One thread drives every connection through a {@link Selector}: no ZeroMQ context, I/O thread
 * or signalling pipe per agent, so 10,000 agents fit in one JVM and cost the machine little CPU
 * next to the master being measured.
 */
public final class SimFleet implements AutoCloseable {
  private static final int STREAM_SLOTS = 100; // as ZeroRpcClient and zerorpc-python
  private static final int MAX_FRAME = 16 * 1024 * 1024;
  private static final Duration RECONNECT = Duration.ofSeconds(1);

  private final SimOptions options;
  private final SimListener listener;
  private final InetSocketAddress master;
  private final Selector selector;
  private final Agent[] agents;
  private final PriorityQueue<Timer> timers = new PriorityQueue<>();
  private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
  private final Thread io;
  private final Random random = new Random(42);
  private final byte[] output;
  private volatile boolean closed;
  private long timerSeq;
  private int nextToConnect;
  private int connecting;

  private final AtomicInteger registered = new AtomicInteger();
  private final AtomicInteger linked = new AtomicInteger();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong messagesIn = new AtomicLong();
  private final AtomicLong messagesOut = new AtomicLong();
  private volatile String lastError;

  private SimFleet(SimOptions options, SimListener listener) throws IOException {
    this.options = options;
    this.listener = listener;
    this.master = new InetSocketAddress(options.host(), options.port());
    this.selector = Selector.open();
    this.agents = new Agent[options.agents()];
    for (int i = 0; i < agents.length; i++) {
      agents[i] = new Agent(i);
    }
    this.output = new byte[options.outputBytes()];
    Arrays.fill(output, (byte) 'x');
    if (output.length > 0) {
      output[output.length - 1] = '\n';
    }
    this.io = new Thread(this::loop, "sim-fleet-io");
    io.setDaemon(true);
  }

  /** Starts connecting every agent (at most {@code maxConnecting} at a time). */
  public static SimFleet start(SimOptions options, SimListener listener) {
    try {
      SimFleet f = new SimFleet(options, listener == null ? new SimListener() {} : listener);
      f.io.start();
      return f;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int size() {
    return agents.length;
  }

  /** The protocol id of agent {@code i}: 32 hex digits. */
  public String agentId(int i) {
    return agents[i].id;
  }

  public int registeredCount() {
    return registered.get();
  }

  public int linkedCount() {
    return linked.get();
  }

  public long errors() {
    return errors.get();
  }

  public String lastError() {
    return lastError;
  }

  public long messagesIn() {
    return messagesIn.get();
  }

  public long messagesOut() {
    return messagesOut.get();
  }

  /** Waits until {@code n} agents have their order stream open; false on timeout. */
  public boolean awaitLinked(int n, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (linked.get() < n) {
      if (System.nanoTime() - end > 0) {
        return false;
      }
      Thread.sleep(5);
    }
    return true;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    selector.wakeup();
    try {
      io.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Agent a : agents) {
      a.closeSocket();
    }
    try {
      selector.close();
    } catch (IOException e) {
      // closing
    }
  }

  // ------------------------------------------------------------------ I/O thread

  private void loop() {
    while (!closed) {
      try {
        long wait = 0;
        if (commands.isEmpty()) {
          Timer next = timers.peek();
          if (next == null) {
            wait = 1000;
          } else {
            wait = Math.max(1, TimeUnit.NANOSECONDS.toMillis(next.at - System.nanoTime()) + 1);
          }
        }
        if (wait == 0) {
          selector.selectNow();
        } else {
          selector.select(wait);
        }
        if (closed) {
          break;
        }
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
          SelectionKey key = it.next();
          it.remove();
          Agent a = (Agent) key.attachment();
          try {
            if (!key.isValid()) {
              continue;
            }
            if (key.isConnectable()) {
              a.finishConnect();
            }
            if (key.isValid() && key.isReadable()) {
              a.read();
            }
            if (key.isValid() && key.isWritable()) {
              a.flush();
            }
          } catch (IOException | RuntimeException e) {
            a.fail(e.getClass().getSimpleName() + ": " + e.getMessage());
          }
        }
        Runnable c;
        while ((c = commands.poll()) != null) {
          c.run();
        }
        long now = System.nanoTime();
        Timer t;
        while ((t = timers.peek()) != null && now - t.at >= 0) {
          timers.poll();
          try {
            t.task.run();
          } catch (RuntimeException e) {
            errors.incrementAndGet();
            lastError = "timer: " + e;
          }
        }
        while (connecting < options.maxConnecting() && nextToConnect < agents.length) {
          agents[nextToConnect++].connect();
        }
      } catch (IOException | RuntimeException e) {
        errors.incrementAndGet();
        lastError = "loop: " + e;
      }
    }
  }

  private void schedule(long delayNanos, Runnable task) {
    timers.add(new Timer(System.nanoTime() + delayNanos, timerSeq++, task));
  }

  private record Timer(long at, long seq, Runnable task) implements Comparable<Timer> {
    @Override
    public int compareTo(Timer o) {
      int c = Long.compare(at - o.at, 0);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private static String key(MessageId id) {
    return new String(id.bytes(), StandardCharsets.ISO_8859_1);
  }

  /** One simulated agent and its connection. All state belongs to the I/O thread. */
  private final class Agent {
    final int index;
    final String id;
    final String hostname;
    final List<String> ip;
    final Map<String, String> labels;
    SocketChannel channel;
    SelectionKey key;
    ByteBuffer in = ByteBuffer.allocate(1024);
    final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
    boolean greeted;
    boolean ready;
    boolean counted; // in `connecting`
    boolean isRegistered;
    boolean isLinked;
    int generation; // bumps on every reconnect so stale timers do nothing
    long heartbeatNanos;
    final Map<String, Consumer<Event>> calls = new HashMap<>();
    String streamKey;
    MessageId streamId;
    int reserved;
    final LinkedHashSet<String> running = new LinkedHashSet<>();
    final LinkedHashSet<String> seen = new LinkedHashSet<>();

    Agent(int index) {
      this.index = index;
      String hex = options.tag() + String.format("%08x", index);
      this.id = ("00000000000000000000000000000000" + hex).substring(hex.length());
      this.hostname = String.format("sim-%05d", index);
      // RFC 2544 benchmarking range: only a string in the registration, never contacted
      this.ip = List.of("198.18." + (index >> 8 & 0xff) + "." + (index & 0xff));
      this.labels = Map.of("sim", "1", "group", "g" + (index % 10));
    }

    void connect() {
      try {
        channel = SocketChannel.open();
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.setOption(StandardSocketOptions.SO_LINGER, 0); // no TIME_WAIT pile-up on close
        in.clear();
        out.clear();
        greeted = false;
        ready = false;
        connecting++;
        counted = true;
        if (channel.connect(master)) {
          key = channel.register(selector, SelectionKey.OP_READ, this);
          onConnected();
        } else {
          key = channel.register(selector, SelectionKey.OP_CONNECT, this);
        }
      } catch (IOException e) {
        fail("connect: " + e.getMessage());
      }
    }

    void finishConnect() throws IOException {
      if (channel.finishConnect()) {
        key.interestOps(SelectionKey.OP_READ);
        onConnected();
      }
    }

    void onConnected() {
      byte[] g = Zmtp.greeting();
      byte[] r = Zmtp.readyCommand();
      ByteBuffer b = ByteBuffer.allocate(g.length + r.length);
      b.put(g).put(r).flip();
      write(b);
    }

    void read() throws IOException {
      int n = channel.read(in);
      if (n < 0) {
        throw new IOException("connection closed by the master");
      }
      in.flip();
      int needed = 0;
      while (true) {
        int pos = in.position();
        int avail = in.remaining();
        if (!greeted) {
          if (avail < Zmtp.GREETING_BYTES) {
            break;
          }
          if (!Zmtp.validGreeting(in, pos)) {
            throw new IOException("not a ZMTP 3 NULL greeting");
          }
          in.position(pos + Zmtp.GREETING_BYTES);
          greeted = true;
          continue;
        }
        if (avail < 2) {
          break;
        }
        int flags = in.get(pos) & 0xff;
        int header;
        long size;
        if ((flags & Zmtp.FLAG_LONG) != 0) {
          if (avail < 9) {
            break;
          }
          size = in.getLong(pos + 1);
          header = 9;
        } else {
          size = in.get(pos + 1) & 0xff;
          header = 2;
        }
        if (size < 0 || size > MAX_FRAME) {
          throw new IOException("frame of " + size + " bytes");
        }
        if (avail < header + size) {
          needed = (int) (header + size);
          break;
        }
        in.position(pos + header);
        byte[] body = new byte[(int) size];
        in.get(body);
        if ((flags & Zmtp.FLAG_COMMAND) != 0) {
          onCommand(body);
        } else if ((flags & Zmtp.FLAG_MORE) == 0) {
          onPayload(body);
        }
      }
      in.compact();
      if (needed > in.capacity()) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(needed, in.capacity() * 2));
        in.flip();
        bigger.put(in);
        in = bigger;
      } else if (!in.hasRemaining()) {
        ByteBuffer bigger = ByteBuffer.allocate(in.capacity() * 2);
        in.flip();
        bigger.put(in);
        in = bigger;
      }
    }

    void onCommand(byte[] body) {
      int len = body.length > 0 ? body[0] & 0xff : 0;
      String name = new String(body, 1, Math.min(len, body.length - 1), StandardCharsets.US_ASCII);
      if (name.equals("READY") && !ready) {
        ready = true;
        register();
      } else if (name.equals("ERROR")) {
        fail("master sent ZMTP ERROR");
      }
      // PING and others: the master sets no ZMTP heartbeat, nothing to answer
    }

    void onPayload(byte[] payload) {
      messagesIn.incrementAndGet();
      Event e;
      try {
        e = Event.decode(payload);
      } catch (ProtocolException ex) {
        fail("bad event: " + ex.getMessage());
        return;
      }
      if (e.responseTo().isEmpty()) {
        return;
      }
      String k = key(e.responseTo().get());
      if (k.equals(streamKey)) {
        onStreamEvent(e);
        return;
      }
      Consumer<Event> call = calls.get(k);
      if (call == null) {
        return; // late event
      }
      String name = e.name();
      if (name.equals("_zpc_hb") || name.equals("_zpc_more")) {
        return;
      }
      calls.remove(k);
      call.accept(e);
    }

    void call(Message m, Consumer<Value> ok) {
      MessageId mid = MessageId.generate();
      byte[] ev =
          Event.create(
                  mid,
                  null,
                  MessageTypes.METHOD_SENDMSG,
                  ValueFactory.newArray(MessageCodec.encode(m)))
              .encode();
      calls.put(
          key(mid),
          e -> {
            if (e.name().equals("OK")) {
              Value args = e.args();
              ok.accept(
                  args.isArrayValue() && args.asArrayValue().size() > 0
                      ? args.asArrayValue().get(0)
                      : null);
            } else {
              String err = String.valueOf(e.args());
              if (err.contains("UnknownAgent")) {
                fail("master forgot the agent");
              } else {
                errors.incrementAndGet();
                lastError = m.type() + ": " + e.name() + " " + err;
                listener.error(index, lastError);
              }
            }
          });
      send(ev);
    }

    void register() {
      Register r =
          new Register(
              id,
              hostname,
              ip,
              labels,
              "bench",
              MessageTypes.PROTOCOL_VERSION,
              List.copyOf(running),
              options.joinToken());
      int gen = generation;
      call(
          r,
          ack -> {
            if (gen != generation) {
              return;
            }
            if (counted) {
              counted = false;
              connecting--;
            }
            if (!isRegistered) {
              isRegistered = true;
              registered.incrementAndGet();
            }
            listener.registered(index, System.nanoTime());
            subscribe();
            heartbeatNanos = heartbeatNanos(ack);
            long hb = heartbeatNanos;
            schedule(hb / 2 + (long) (random.nextDouble() * hb), () -> heartbeat(gen));
          });
    }

    void subscribe() {
      streamId = MessageId.generate();
      streamKey = key(streamId);
      reserved = 1;
      send(
          Event.create(
                  streamId,
                  null,
                  MessageTypes.METHOD_SUBSCRIBE,
                  ValueFactory.newArray(MessageCodec.encode(new Subscribe(id))))
              .encode());
      int gen = generation;
      long chb = options.channelHeartbeat().toNanos();
      schedule(chb, () -> channelHeartbeat(gen));
    }

    void channelHeartbeat(int gen) {
      if (gen != generation || closed) {
        return;
      }
      send(
          Event.create(
                  MessageId.generate(),
                  streamId,
                  "_zpc_hb",
                  ValueFactory.newArray(ValueFactory.newInteger(0)))
              .encode());
      schedule(options.channelHeartbeat().toNanos(), () -> channelHeartbeat(gen));
    }

    void heartbeat(int gen) {
      if (gen != generation || closed) {
        return;
      }
      call(new Heartbeat(id, hostname, ip, List.copyOf(running)), ack -> {});
      schedule(heartbeatNanos, () -> heartbeat(gen));
    }

    /** The agent's rule: the master's {@code stream_heartbeat} when longer than its own. */
    long heartbeatNanos(Value ack) {
      long own = options.heartbeat().toNanos();
      Value v =
          ack != null && ack.isMapValue()
              ? ack.asMapValue().map().get(ValueFactory.newString("stream_heartbeat"))
              : null;
      if (v != null && v.isIntegerValue()) {
        return Math.max(own, TimeUnit.SECONDS.toNanos(v.asIntegerValue().toLong()));
      }
      return own;
    }

    void onStreamEvent(Event e) {
      switch (e.name()) {
        case "STREAM" -> {
          onOrder(e.args());
          reserved--;
          if (reserved < STREAM_SLOTS / 2) {
            int more = STREAM_SLOTS - reserved;
            reserved = STREAM_SLOTS;
            send(
                Event.create(
                        MessageId.generate(),
                        streamId,
                        "_zpc_more",
                        ValueFactory.newArray(ValueFactory.newInteger(more)))
                    .encode());
          }
        }
        case "STREAM_DONE", "ERR" -> fail("order stream ended: " + e.name());
        default -> {
          // _zpc_hb: the master is alive
        }
      }
    }

    void onOrder(Value item) {
      long now = System.nanoTime();
      Message m;
      try {
        m = MessageCodec.decode(item);
      } catch (BadMessageException ex) {
        fail("bad order: " + ex.getMessage());
        return;
      }
      if (m.type().equals(MessageTypes.SUBSCRIBED)) {
        if (!isLinked) {
          isLinked = true;
          linked.incrementAndGet();
        }
        listener.linked(index, now);
        return;
      }
      if (!(m instanceof TaskOrder t)) {
        return; // kill: fake runs end on their own
      }
      if (!seen.add(t.id())) {
        return; // re-sent after a re-subscribe
      }
      if (seen.size() > 10_000) {
        Iterator<String> it = seen.iterator();
        it.next();
        it.remove();
      }
      listener.order(index, t.id(), now);
      running.add(t.id());
      long startedAt = System.currentTimeMillis();
      int gen = generation;
      Runnable finish =
          () -> {
            if (gen != generation) {
              return;
            }
            running.remove(t.id());
            Result r =
                new Result(
                    t.id(),
                    id,
                    Result.EXITED,
                    0,
                    output,
                    false,
                    null,
                    startedAt,
                    System.currentTimeMillis());
            call(r, ack -> listener.resultAcked(index, t.id(), System.nanoTime()));
          };
      long delay = options.taskDelay().toNanos();
      if (delay <= 0) {
        finish.run();
      } else {
        schedule(delay, finish);
      }
    }

    void send(byte[] event) {
      messagesOut.incrementAndGet();
      write(Zmtp.dealerMessage(event));
    }

    void write(ByteBuffer b) {
      if (channel == null || !channel.isOpen()) {
        return;
      }
      out.add(b);
      if (out.size() == 1 && key != null && (key.interestOps() & SelectionKey.OP_CONNECT) == 0) {
        try {
          flush();
        } catch (IOException e) {
          fail("write: " + e.getMessage());
        }
      }
    }

    void flush() throws IOException {
      while (!out.isEmpty()) {
        ByteBuffer b = out.peek();
        channel.write(b);
        if (b.hasRemaining()) {
          key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
          return;
        }
        out.poll();
      }
      if (key.isValid()) {
        key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
      }
    }

    void fail(String why) {
      errors.incrementAndGet();
      lastError = hostname + ": " + why;
      listener.error(index, lastError);
      closeSocket();
      generation++;
      calls.clear();
      streamKey = null;
      if (counted) {
        counted = false;
        connecting--;
      }
      if (isLinked) {
        isLinked = false;
        linked.decrementAndGet();
      }
      if (isRegistered) {
        isRegistered = false;
        registered.decrementAndGet();
      }
      if (!closed) {
        schedule(RECONNECT.toNanos(), this::connect);
      }
    }

    void closeSocket() {
      if (key != null) {
        key.cancel();
      }
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException e) {
          // closing
        }
      }
      out.clear();
    }
  }

  /** For tests: the ids of every agent. */
  public List<String> agentIds() {
    List<String> ids = new ArrayList<>(agents.length);
    for (Agent a : agents) {
      ids.add(a.id);
    }
    return ids;
  }
}
