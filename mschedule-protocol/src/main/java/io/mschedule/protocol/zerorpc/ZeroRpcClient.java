package io.mschedule.protocol.zerorpc;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.msgpack.value.ArrayValue;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;
import org.zeromq.ZMsg;

/**
 * A zerorpc client on a ZeroMQ DEALER socket, talking to any zerorpc server.
 *
 * <p>One I/O thread owns the socket, the channel table, heartbeats and timeouts. Futures complete,
 * and stream listeners run, on one callback thread per client, in the order events arrived.
 * Thread-safe.
 */
public final class ZeroRpcClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ZeroRpcClient.class);
  private static final byte[] EMPTY = new byte[0];
  private static final int MAX_INBOUND_PER_PASS = 1_000;
  private static final AtomicInteger INSTANCES = new AtomicInteger();
  private static final Duration MAX_TIMEOUT = Duration.ofDays(3650);

  private final String endpoint;
  private final long heartbeatNanos;
  private final int streamSlots;
  private final ZContext context;
  private final ZMQ.Socket dealer;
  private final Wakeup wakeup;
  private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
  private final HashMap<ByteBuffer, Channel> channels = new HashMap<>(); // I/O thread only
  private final ExecutorService callbacks;
  private final NamedThreads callbackThreads;
  private final Thread ioThread;
  private final RateLimitedLog dropLog = new RateLimitedLog(log, 10);
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean stopping;
  private volatile boolean terminated;
  private long nextSweepNanos = Long.MAX_VALUE; // I/O thread only
  private final ArrayDeque<Outgoing> backlog = new ArrayDeque<>(); // I/O thread only

  /** An event the DEALER could not take yet (no connected peer, or its queue is full). */
  private record Outgoing(Channel channel, byte[] payload) {}

  private ZeroRpcClient(ClientOptions options) {
    int instance = INSTANCES.incrementAndGet();
    this.endpoint = options.endpoint();
    this.heartbeatNanos = options.heartbeatInterval().toNanos();
    this.streamSlots = options.streamSlots();
    this.context = new ZContext(1);
    context.setLinger(0);
    context.setUncaughtExceptionHandler(ZeroRpcServer::jeromqFailure);
    context.setNotificationExceptionHandler(ZeroRpcServer::jeromqFailure);
    try {
      this.dealer = context.createSocket(SocketType.DEALER);
      dealer.setLinger(0);
      dealer.setMaxMsgSize(2L * options.maxMessageBytes());
      dealer.setHandshakeIvl((int) options.handshakeTimeout().toMillis());
      if (options.isCurve()) {
        dealer.setCurveServerKey(options.serverPublicKey());
        dealer.setCurvePublicKey(options.clientPublicKey());
        dealer.setCurveSecretKey(options.clientSecretKey());
      }
      try {
        if (!dealer.connect(endpoint)) {
          throw new ZeroRpcException("cannot connect to " + endpoint);
        }
      } catch (ZMQException e) {
        throw new ZeroRpcException("cannot connect to " + endpoint + ": " + e.getMessage(), e);
      }
      this.wakeup = new Wakeup(context, "inproc://zerorpc-client-wakeup");
    } catch (RuntimeException e) {
      context.close();
      throw e;
    }
    this.callbackThreads = new NamedThreads("zerorpc-client-" + instance + "-callbacks-");
    this.callbacks = Executors.newSingleThreadExecutor(callbackThreads);
    this.ioThread = new Thread(this::ioLoop, "zerorpc-client-" + instance + "-io");
    ioThread.setDaemon(true);
    ioThread.start();
  }

  /**
   * Creates the DEALER socket and connects it. ZeroMQ connects in the background: calls made before
   * the server is up wait in the socket and go out when it connects.
   */
  public static ZeroRpcClient connect(ClientOptions options) {
    options.validate();
    return new ZeroRpcClient(options);
  }

  /**
   * Calls {@code method(args...)}.
   *
   * @param timeout how long to wait for the reply; as in zerorpc it covers only the wait for the
   *     first reply event, and heartbeats do not extend it
   * @return the result; fails with {@link RemoteErrorException} (ERR), {@link
   *     CallTimeoutException}, {@link LostRemoteException}, {@link ClientClosedException} or
   *     another {@link ZeroRpcException}. Cancelling it abandons the call.
   */
  public CompletableFuture<Value> call(String method, Duration timeout, Value... args) {
    Objects.requireNonNull(method, "method");
    CompletableFuture<Value> future = new CompletableFuture<>();
    CallChannel channel = new CallChannel(method, timeout, future);
    open(channel, args);
    future.whenComplete(
        (v, t) -> {
          if (future.isCancelled()) {
            execute(() -> forget(channel));
          }
        });
    return future;
  }

  /**
   * Calls a streaming method. The listener gets each item, then {@code onEnd} or {@code onError}.
   * As in zerorpc-python, the client lets the server run up to {@link
   * ClientOptions#streamSlots(int)} items ahead of the listener ({@code _zpc_more}).
   *
   * @param firstReplyTimeout how long to wait for the first event of the stream
   */
  public ClientStream stream(
      String method, StreamListener listener, Duration firstReplyTimeout, Value... args) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(listener, "listener");
    StreamChannel channel = new StreamChannel(method, firstReplyTimeout, listener);
    open(channel, args);
    return channel;
  }

  /**
   * Closes the socket without lingering. Pending calls fail and open streams end with {@link
   * ClientClosedException}.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      ZeroRpcServer.uninterruptibly(this::stop);
    }
  }

  private void stop() {
    stopping = true;
    wakeup.signal();
    ZeroRpcServer.join(ioThread);
    wakeup.closeSender();
    drainAfterTermination();
    callbacks.shutdown();
    ZeroRpcServer.await(callbacks, callbackThreads);
    context.close();
  }

  // ---------------------------------------------------------------- any thread

  private void open(Channel channel, Value[] args) {
    byte[] request =
        Event.create(
                channel.id,
                null,
                channel.method,
                ValueFactory.newArray(args == null ? new Value[0] : args.clone()))
            .encode();
    execute(
        () -> {
          if (terminated) {
            channel.fail(new ClientClosedException("client for " + endpoint + " is closed"));
            return;
          }
          long now = System.nanoTime();
          channel.opened(now);
          channels.put(channel.key, channel);
          send(channel, request);
          nextSweepNanos = Math.min(nextSweepNanos, channel.nextDeadline());
        });
  }

  private void execute(Runnable command) {
    commands.add(command);
    if (terminated) {
      drainAfterTermination();
    } else if (Thread.currentThread() != ioThread) {
      wakeup.signal();
    }
  }

  /** After the I/O thread ended, commands only fail their channels; any thread may run them. */
  private void drainAfterTermination() {
    Runnable command;
    while ((command = commands.poll()) != null) {
      try {
        command.run();
      } catch (RuntimeException e) {
        log.debug("command after close failed", e);
      }
    }
  }

  private void callback(Runnable task) {
    try {
      callbacks.execute(task);
    } catch (RejectedExecutionException e) {
      task.run(); // closing: run here rather than lose a completion
    }
  }

  // ---------------------------------------------------------------- I/O thread

  private void ioLoop() {
    ZMQ.Poller poller = context.createPoller(2);
    poller.register(dealer, ZMQ.Poller.POLLIN);
    poller.register(wakeup.socket(), ZMQ.Poller.POLLIN);
    // used while events wait in the backlog: also wakes when the DEALER can take them
    ZMQ.Poller backlogPoller = context.createPoller(2);
    backlogPoller.register(dealer, ZMQ.Poller.POLLIN | ZMQ.Poller.POLLOUT);
    backlogPoller.register(wakeup.socket(), ZMQ.Poller.POLLIN);
    boolean moreInbound = false;
    try {
      while (!stopping) {
        try {
          long wait;
          if (moreInbound || !commands.isEmpty()) {
            wait = 0;
          } else if (nextSweepNanos == Long.MAX_VALUE) {
            wait = -1;
          } else {
            wait =
                Math.max(0, TimeUnit.NANOSECONDS.toMillis(nextSweepNanos - System.nanoTime()) + 1);
          }
          (backlog.isEmpty() ? poller : backlogPoller).poll(wait);
          if (stopping) {
            break;
          }
          wakeup.clear();
          moreInbound = readInbound();
          flushBacklog();
          runCommands();
          long now = System.nanoTime();
          if (now - nextSweepNanos >= 0) {
            sweep(now);
          }
        } catch (ZMQException e) {
          if (stopping || e.getErrorCode() == ZMQ.Error.ETERM.getCode()) {
            break;
          }
          log.error("zerorpc client I/O pass failed; continuing", e);
        } catch (Throwable t) {
          log.error("zerorpc client I/O pass failed; continuing", t);
        }
      }
    } finally {
      terminated = true;
      ClientClosedException closedError =
          new ClientClosedException("client for " + endpoint + " is closed");
      for (Channel channel : new ArrayList<>(channels.values())) {
        channel.fail(closedError);
      }
      channels.clear();
      drainAfterTermination();
      poller.close();
      backlogPoller.close();
      backlog.clear();
      context.destroySocket(dealer);
      wakeup.closeReceiver();
    }
  }

  private void runCommands() {
    Runnable command;
    while ((command = commands.poll()) != null) {
      command.run();
    }
  }

  private boolean readInbound() {
    for (int i = 0; i < MAX_INBOUND_PER_PASS; i++) {
      ZMsg msg = ZMsg.recvMsg(dealer, ZMQ.DONTWAIT);
      if (msg == null) {
        return false;
      }
      try {
        onMessage(msg.getLast().getData());
      } catch (RuntimeException e) {
        log.error("zerorpc client failed to process a message; dropped", e);
      }
    }
    return true;
  }

  private void onMessage(byte[] payload) {
    Event event;
    try {
      event = Event.decode(payload);
    } catch (ProtocolException e) {
      Event.PeekedIds ids = Event.peekIds(payload);
      Channel channel = ids.responseTo() == null ? null : channels.get(keyOf(ids.responseTo()));
      if (channel != null) {
        forget(channel);
        channel.fail(new ZeroRpcException("server sent an invalid event: " + e.getMessage(), e));
      } else {
        dropLog.warn("dropped an invalid event from {}: {}", endpoint, e.getMessage());
      }
      return;
    }
    if (event.responseTo().isEmpty()) {
      dropLog.warn("dropped event {} from {}: no response_to", event.name(), endpoint);
      return;
    }
    Channel channel = channels.get(keyOf(event.responseTo().get()));
    if (channel == null) {
      return; // late event for a closed channel
    }
    channel.lastHeardNanos = Math.max(channel.lastHeardNanos, System.nanoTime());
    switch (event.name()) {
      case "_zpc_hb", "_zpc_more" -> {
        // liveness only: this client sends a single payload event per channel
      }
      default -> channel.onEvent(event);
    }
  }

  /** Timeouts, lost peers and heartbeats; also computes when the next sweep is due. */
  private void sweep(long now) {
    long next = Long.MAX_VALUE;
    List<Runnable> failures = null;
    for (Iterator<Channel> it = channels.values().iterator(); it.hasNext(); ) {
      Channel channel = it.next();
      ZeroRpcException failure = null;
      if (!channel.gotFirstReply && now - channel.firstReplyDeadline >= 0) {
        failure =
            new CallTimeoutException(
                channel.method
                    + ": no reply within "
                    + TimeUnit.NANOSECONDS.toMillis(channel.timeoutNanos)
                    + " ms");
      } else if (now - channel.lastHeardNanos > 2 * heartbeatNanos) {
        failure =
            new LostRemoteException(
                channel.method
                    + ": lost remote after "
                    + TimeUnit.NANOSECONDS.toMillis(2 * heartbeatNanos)
                    + " ms without a heartbeat");
      }
      if (failure != null) {
        it.remove();
        ZeroRpcException f = failure;
        if (failures == null) {
          failures = new ArrayList<>();
        }
        failures.add(() -> channel.fail(f));
        continue;
      }
      if (now - channel.nextHeartbeatNanos >= 0) {
        send(
            channel,
            Event.create(
                    MessageId.generate(),
                    channel.id,
                    "_zpc_hb",
                    ValueFactory.newArray(ValueFactory.newInteger(0)))
                .encode());
        channel.nextHeartbeatNanos = Math.max(channel.nextHeartbeatNanos + heartbeatNanos, now);
      }
      next = Math.min(next, channel.nextDeadline());
    }
    nextSweepNanos = next;
    if (failures != null) {
      failures.forEach(Runnable::run);
    }
  }

  /** Removes a channel from the table; a no-op off the I/O thread (after termination). */
  private void forget(Channel channel) {
    if (Thread.currentThread() == ioThread) {
      channels.remove(channel.key, channel);
    }
  }

  /**
   * Sends {@code ["", payload]} without blocking: a DEALER with no connected peer (server down,
   * CURVE handshake refused) would block the I/O thread. What it cannot take waits, in order, in
   * the backlog; events of channels that ended meanwhile are dropped from it.
   */
  private void send(Channel channel, byte[] payload) {
    if (!backlog.isEmpty() || !trySend(payload)) {
      backlog.add(new Outgoing(channel, payload));
    }
  }

  private void flushBacklog() {
    while (!backlog.isEmpty()) {
      Outgoing next = backlog.peek();
      if (channels.get(next.channel().key) != next.channel()) {
        backlog.poll(); // the call timed out, failed or was cancelled: do not deliver it late
        continue;
      }
      if (!trySend(next.payload())) {
        return;
      }
      backlog.poll();
    }
  }

  private boolean trySend(byte[] payload) {
    if (!dealer.send(EMPTY, ZMQ.SNDMORE | ZMQ.DONTWAIT)) {
      return false;
    }
    // once the first frame is taken, ZeroMQ takes the rest of the message
    dealer.send(payload, ZMQ.DONTWAIT);
    return true;
  }

  private static ByteBuffer keyOf(MessageId id) {
    return ByteBuffer.wrap(id.rawBytes());
  }

  private static ZeroRpcException unexpected(String method, Event event, String expected) {
    return new ZeroRpcException(method + ": expected " + expected + ", got event " + event.name());
  }

  static RemoteErrorException remoteError(Value args) {
    if (args.isArrayValue()) {
      ArrayValue a = args.asArrayValue();
      if (a.size() >= 2) {
        String tb = a.size() >= 3 && !a.get(2).isNilValue() ? text(a.get(2)) : null;
        return new RemoteErrorException(text(a.get(0)), text(a.get(1)), tb);
      }
      if (a.size() == 1) {
        return new RemoteErrorException("RemoteError", text(a.get(0))); // zerorpc v1 form
      }
    }
    return new RemoteErrorException("RemoteError", String.valueOf(args));
  }

  private static String text(Value v) {
    return v.isStringValue() ? v.asStringValue().toString() : v.toString();
  }

  // ---------------------------------------------------------------- channels

  /** Client side of one channel. Timing fields belong to the I/O thread. */
  private abstract class Channel {
    final MessageId id = MessageId.generate();
    final ByteBuffer key = keyOf(id);
    final String method;
    final long timeoutNanos;
    long firstReplyDeadline;
    long lastHeardNanos;
    long nextHeartbeatNanos;
    boolean gotFirstReply;

    Channel(String method, Duration timeout) {
      this.method = method;
      Objects.requireNonNull(timeout, "timeout");
      // capped so that deadline arithmetic cannot overflow
      this.timeoutNanos =
          timeout.compareTo(MAX_TIMEOUT) > 0 ? MAX_TIMEOUT.toNanos() : timeout.toNanos();
    }

    void opened(long now) {
      firstReplyDeadline = now + timeoutNanos;
      // liveness counts from the first heartbeat tick, as in zerorpc-python: a silent server is
      // lost three intervals after the call began
      lastHeardNanos = now + heartbeatNanos;
      nextHeartbeatNanos = now + heartbeatNanos;
    }

    long nextDeadline() {
      long d = Math.min(lastHeardNanos + 2 * heartbeatNanos + 1, nextHeartbeatNanos);
      return gotFirstReply ? d : Math.min(d, firstReplyDeadline);
    }

    /** I/O thread: a payload event (not a heartbeat) for this channel. */
    abstract void onEvent(Event event);

    /** Any thread, once the channel left the table (or never entered it). */
    abstract void fail(Throwable error);
  }

  private final class CallChannel extends Channel {
    private final CompletableFuture<Value> future;

    CallChannel(String method, Duration timeout, CompletableFuture<Value> future) {
      super(method, timeout);
      this.future = future;
    }

    @Override
    void onEvent(Event event) {
      gotFirstReply = true;
      forget(this);
      Value args = event.args();
      switch (event.name()) {
        case "OK" -> {
          if (args.isArrayValue() && args.asArrayValue().size() >= 1) {
            Value result = args.asArrayValue().get(0);
            callback(() -> future.complete(result));
          } else {
            fail(new ZeroRpcException(method + ": OK args must be [result], got " + args));
          }
        }
        case "ERR" -> fail(remoteError(args));
        case "STREAM", "STREAM_DONE" ->
            fail(new ZeroRpcException(method + " answered with a stream: use stream()"));
        default -> fail(unexpected(method, event, "OK or ERR"));
      }
    }

    @Override
    void fail(Throwable error) {
      callback(() -> future.completeExceptionally(error));
    }
  }

  private final class StreamChannel extends Channel implements ClientStream {
    private final StreamListener listener;
    private volatile boolean ended; // closed locally, or the end was delivered
    private int reserved = 1; // callback thread only: slots granted and not yet consumed

    StreamChannel(String method, Duration timeout, StreamListener listener) {
      super(method, timeout);
      this.listener = listener;
    }

    @Override
    void onEvent(Event event) {
      gotFirstReply = true;
      switch (event.name()) {
        case "STREAM" -> {
          Value item = event.args();
          callback(() -> deliver(item));
        }
        case "STREAM_DONE" -> {
          forget(this);
          callback(
              () -> {
                if (!ended) {
                  ended = true;
                  try {
                    listener.onEnd();
                  } catch (RuntimeException e) {
                    log.warn("stream listener onEnd failed", e);
                  }
                }
              });
        }
        case "ERR" -> {
          forget(this);
          fail(remoteError(event.args()));
        }
        case "OK" -> {
          forget(this);
          fail(new ZeroRpcException(method + " answered OK, not a stream: use call()"));
        }
        default -> {
          forget(this);
          fail(unexpected(method, event, "STREAM, STREAM_DONE or ERR"));
        }
      }
    }

    /** Callback thread. */
    private void deliver(Value item) {
      if (ended) {
        return;
      }
      try {
        listener.onItem(item);
      } catch (RuntimeException e) {
        close();
        ended = true;
        try {
          listener.onError(e);
        } catch (RuntimeException again) {
          log.warn("stream listener onError failed", again);
        }
        return;
      }
      reserved--;
      if (reserved < streamSlots / 2) {
        int more = streamSlots - reserved;
        reserved = streamSlots;
        byte[] event =
            Event.create(
                    MessageId.generate(),
                    id,
                    "_zpc_more",
                    ValueFactory.newArray(ValueFactory.newInteger(more)))
                .encode();
        execute(
            () -> {
              if (!terminated && channels.get(key) == this) {
                send(this, event);
              }
            });
      }
    }

    @Override
    void fail(Throwable error) {
      callback(
          () -> {
            if (!ended) {
              ended = true;
              try {
                listener.onError(error);
              } catch (RuntimeException e) {
                log.warn("stream listener onError failed", e);
              }
            }
          });
    }

    @Override
    public boolean isOpen() {
      return !ended;
    }

    @Override
    public void close() {
      ended = true;
      execute(() -> forget(this));
    }
  }
}
