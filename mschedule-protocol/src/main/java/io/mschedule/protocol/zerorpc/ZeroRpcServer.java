package io.mschedule.protocol.zerorpc;

import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * A zerorpc server on a ZeroMQ ROUTER socket, wire-compatible with zerorpc-python and zerorpc-node
 * clients.
 *
 * <p>One I/O thread owns the socket: it decodes requests, keeps the channel table, sends heartbeats
 * and detects lost clients in one periodic sweep. Handlers run on a worker pool (a handler may
 * answer a cheap call on the I/O thread itself: {@link CallHandler#onArrival}); their replies and
 * stream items are queued to the I/O thread, which is woken at once through an inproc socket.
 *
 * <p>ZeroMQ queues at most 1,000 outgoing messages per connected client (the default send high
 * water mark) and drops what a client that stops reading would get beyond that. Streams stay well
 * below it because they honour the client's {@code _zpc_more} grants.
 */
public final class ZeroRpcServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ZeroRpcServer.class);
  private static final byte[] EMPTY = new byte[0];
  private static final int MAX_INBOUND_PER_PASS = 1_000;
  private static final int MAX_COMMANDS_PER_PASS = 10_000;
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  /** Connections that have not completed the ZeroMQ handshake by then are dropped. */
  private static final int HANDSHAKE_MILLIS = 10_000;

  private static final String PING = "_zerorpc_ping";
  private static final String HEARTBEAT = "_zpc_hb";
  private static final String MORE = "_zpc_more";

  private final String name;
  private final long heartbeatNanos;
  private final long sweepNanos;
  private final int maxMessageBytes;
  private final int streamBufferSize;
  private final CallHandler handler;
  private final ZContext context;
  private final ZMQ.Socket router;
  private final Wakeup wakeup;
  private final ZapHandler zap;
  private final boolean curve;
  private final int port;
  private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
  private final HashMap<ChannelKey, ServerChannel> channels = new HashMap<>(); // I/O thread only
  private final ThreadPoolExecutor workers;
  private final NamedThreads workerThreads;
  private final ExecutorService listeners;
  private final NamedThreads listenerThreads;
  private final Thread ioThread;
  private final RateLimitedLog dropLog = new RateLimitedLog(log, 10);
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean stopping;
  private volatile int channelCount;

  private ZeroRpcServer(ServerOptions options, CallHandler handler) {
    int instance = INSTANCES.incrementAndGet();
    this.name = options.name();
    this.heartbeatNanos = options.heartbeatInterval().toNanos();
    this.sweepNanos = Math.max(heartbeatNanos / 4, TimeUnit.MILLISECONDS.toNanos(5));
    this.maxMessageBytes = options.maxMessageBytes();
    this.streamBufferSize = options.streamBufferSize();
    this.handler = handler;
    this.curve = options.isCurve();
    this.context = new ZContext(1);
    context.setLinger(0);
    context.setUncaughtExceptionHandler(ZeroRpcServer::jeromqFailure);
    context.setNotificationExceptionHandler(ZeroRpcServer::jeromqFailure);
    ZapHandler zapHandler = null;
    try {
      if (options.isCurve()) {
        // always through ZAP with CURVE, so that each message carries its client's key as User-Id
        CurveAuthenticator auth =
            options.authenticator() != null ? options.authenticator() : key -> true;
        zapHandler = new ZapHandler(context, auth, "zerorpc-zap-" + instance);
      }
      this.router = context.createSocket(SocketType.ROUTER);
      router.setLinger(0);
      // hard ceiling: ZeroMQ drops a connection sending more; frames between the limit and the
      // ceiling still get a BadRequest answer
      router.setMaxMsgSize(2L * maxMessageBytes);
      router.setHandshakeIvl(HANDSHAKE_MILLIS);
      if (options.isCurve()) {
        router.setCurveServer(true);
        router.setCurvePublicKey(options.curvePublicKey());
        router.setCurveSecretKey(options.curveSecretKey());
      }
      try {
        if (!router.bind(options.endpoint())) {
          throw new ZeroRpcException("cannot bind " + options.endpoint());
        }
      } catch (ZMQException e) {
        throw new ZeroRpcException("cannot bind " + options.endpoint() + ": " + e.getMessage(), e);
      }
      this.port = portOf(router.getLastEndpoint());
      this.wakeup = new Wakeup(context, "inproc://zerorpc-server-wakeup");
    } catch (RuntimeException e) {
      if (zapHandler != null) {
        zapHandler.close();
      }
      context.close();
      throw e;
    }
    this.zap = zapHandler;
    this.workerThreads = new NamedThreads("zerorpc-server-" + instance + "-worker-");
    this.listenerThreads = new NamedThreads("zerorpc-server-" + instance + "-events-");
    this.workers =
        new ThreadPoolExecutor(
            options.workerThreads(),
            options.workerThreads(),
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(options.maxQueuedCalls()),
            workerThreads);
    this.listeners = Executors.newSingleThreadExecutor(listenerThreads);
    this.ioThread = new Thread(this::ioLoop, "zerorpc-server-" + instance + "-io");
    ioThread.setDaemon(true);
    ioThread.start();
    log.info("zerorpc server {} listening on {} (port {})", name, options.endpoint(), port);
  }

  /**
   * Binds the ROUTER socket and starts serving.
   *
   * @throws ZeroRpcException if the endpoint cannot be bound
   */
  public static ZeroRpcServer start(ServerOptions options, CallHandler handler) {
    options.validate();
    return new ZeroRpcServer(options, Objects.requireNonNull(handler, "handler"));
  }

  /** The TCP port actually bound (useful after binding port 0). */
  public int port() {
    return port;
  }

  /**
   * Stops serving: open streams end (their close listeners run), later replies are dropped, the
   * socket closes without lingering. Waits a few seconds for running handlers.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      uninterruptibly(this::stop);
    }
  }

  private void stop() {
    stopping = true;
    wakeup.signal();
    join(ioThread);
    wakeup.closeSender();
    commands.clear();
    workers.shutdown();
    await(workers, workerThreads);
    listeners.shutdown();
    await(listeners, listenerThreads);
    if (zap != null) {
      zap.close();
    }
    context.close();
    log.info("zerorpc server {} on port {} closed", name, port);
  }

  int streamBufferSize() {
    return streamBufferSize;
  }

  boolean ioThreadAlive() {
    return ioThread.isAlive();
  }

  /** Channels currently open: calls not yet answered plus open streams. */
  public int openChannels() {
    return channelCount;
  }

  // ---------------------------------------------------------------- channels, from any thread

  void sendLater(ServerChannel channel, byte[] event, boolean last) {
    execute(() -> sendOnChannel(channel, event, last));
  }

  void fireListeners(List<Runnable> toRun) {
    Runnable task =
        () -> {
          for (Runnable r : toRun) {
            try {
              r.run();
            } catch (RuntimeException e) {
              log.warn("stream close listener failed", e);
            }
          }
        };
    try {
      listeners.execute(task);
    } catch (RejectedExecutionException e) {
      task.run(); // server closed
    }
  }

  private void execute(Runnable command) {
    commands.add(command);
    if (Thread.currentThread() != ioThread) {
      wakeup.signal();
    }
  }

  // ---------------------------------------------------------------- I/O thread

  private void ioLoop() {
    ZMQ.Poller poller = context.createPoller(2);
    poller.register(router, ZMQ.Poller.POLLIN);
    poller.register(wakeup.socket(), ZMQ.Poller.POLLIN);
    long nextSweep = System.nanoTime() + sweepNanos;
    boolean moreWork = false;
    try {
      while (!stopping) {
        try {
          long wait =
              moreWork
                  ? 0
                  : Math.max(0, TimeUnit.NANOSECONDS.toMillis(nextSweep - System.nanoTime()) + 1);
          poller.poll(wait);
          if (stopping) {
            break;
          }
          wakeup.clear();
          boolean moreInbound = readInbound();
          boolean moreCommands = runCommands();
          moreWork = moreInbound || moreCommands;
          long now = System.nanoTime();
          if (now - nextSweep >= 0) {
            sweep(now);
            nextSweep = now + sweepNanos;
          }
        } catch (ZMQException e) {
          if (stopping || e.getErrorCode() == ZMQ.Error.ETERM.getCode()) {
            break;
          }
          log.error("zerorpc server I/O pass failed; continuing", e);
        } catch (Throwable t) {
          log.error("zerorpc server I/O pass failed; continuing", t);
        }
      }
    } finally {
      stopping = true;
      for (ServerChannel channel : new ArrayList<>(channels.values())) {
        channel.markClosed();
      }
      channels.clear();
      channelCount = 0;
      poller.close();
      context.destroySocket(router);
      wakeup.closeReceiver();
    }
  }

  /** Returns true when the pass limit was hit and more messages may be waiting. */
  private boolean readInbound() {
    for (int i = 0; i < MAX_INBOUND_PER_PASS; i++) {
      List<byte[]> msg = new ArrayList<>(3);
      Map<String, String> meta = new HashMap<>(2);
      receive(msg, meta);
      if (msg.isEmpty()) {
        return false;
      }
      try {
        onMessage(msg, meta.get(zmq.io.Metadata.USER_ID), meta.get(zmq.io.Metadata.PEER_ADDRESS));
      } catch (RuntimeException e) {
        log.error("zerorpc server failed to process a message; dropped", e);
      }
    }
    return true;
  }

  private boolean runCommands() {
    for (int i = 0; i < MAX_COMMANDS_PER_PASS; i++) {
      Runnable command = commands.poll();
      if (command == null) {
        return false;
      }
      command.run();
    }
    return true;
  }

  /**
   * Receives one multipart message into {@code frames} (left empty when none is waiting) and puts
   * the ZAP user id of its connection (with CURVE, the client's public key in Z85) and the peer's
   * address into {@code meta}. This is the one place that reads message metadata, which JeroMQ
   * exposes only on {@code zmq.Msg}.
   */
  private void receive(List<byte[]> frames, Map<String, String> meta) {
    zmq.Msg part = router.recvMsg(ZMQ.DONTWAIT);
    if (part == null) {
      return;
    }
    while (true) {
      frames.add(part.data() == null ? new byte[0] : part.data());
      if (part.getMetadata() != null) {
        for (String key : new String[] {zmq.io.Metadata.USER_ID, zmq.io.Metadata.PEER_ADDRESS}) {
          String v = part.getMetadata().get(key);
          if (v != null && !v.isEmpty()) {
            meta.put(key, v);
          }
        }
      }
      if (!part.hasMore()) {
        return;
      }
      part = router.recvMsg(0);
    }
  }

  private void onMessage(List<byte[]> msg, String userId, String peerAddress) {
    int n = msg.size();
    if (n < 2) {
      dropLog.warn("dropped a {}-frame message without routing identity", n);
      return;
    }
    byte[][] frames = msg.toArray(new byte[0][]);
    byte[] payload = frames[n - 1];
    int envelope = n - 1;
    if (envelope > 1 && frames[envelope - 1].length == 0) {
      envelope--; // the empty delimiter a DEALER or REQ puts before the payload
    }
    PeerId peer =
        new PeerId(
            Arrays.copyOf(frames, envelope),
            curve && userId != null && userId.length() == 40 ? ZMQ.Curve.z85Decode(userId) : null,
            peerAddress);
    if (payload.length > maxMessageBytes) {
      reject(
          peer,
          payload,
          "event is " + payload.length + " bytes, over the " + maxMessageBytes + "-byte limit");
      return;
    }
    Event event;
    try {
      event = Event.decode(payload);
    } catch (ProtocolException e) {
      reject(peer, payload, e.getMessage());
      return;
    }
    long now = System.nanoTime();
    if (event.responseTo().isPresent()) {
      onChannelEvent(peer, event, now);
    } else {
      onRequest(peer, event, now);
    }
  }

  private void onChannelEvent(PeerId peer, Event event, long now) {
    ServerChannel channel = channels.get(new ChannelKey(peer, event.responseTo().get().rawBytes()));
    if (channel == null) {
      return; // late event for a closed channel: normal in zerorpc
    }
    channel.lastHeardNanos = Math.max(channel.lastHeardNanos, now);
    String name = event.name();
    if (HEARTBEAT.equals(name)) {
      try {
        channel.heardHeartbeat();
      } catch (RuntimeException e) {
        dropLog.warn("heartbeat listener of {} failed: {}", channel, e.toString());
      }
      if (channel.compatV2) {
        channel.addSlots(firstCount(event.args()));
      }
    } else if (MORE.equals(name)) {
      channel.addSlots(firstCount(event.args()));
    }
    // any other event on an open channel carries nothing for a server: ignored, as in zerorpc
  }

  private void onRequest(PeerId peer, Event event, long now) {
    if (event.messageId().isEmpty()) {
      dropLog.warn("dropped request {} from {}: header has no message_id", event.name(), peer);
      return;
    }
    MessageId id = event.messageId().get();
    if (PING.equals(event.name())) {
      send(
          peer,
          Event.create(
                  MessageId.generate(),
                  id,
                  "OK",
                  ValueFactory.newArray(
                      ValueFactory.newArray(
                          ValueFactory.newString("pong"), ValueFactory.newString(name))))
              .encode());
      return;
    }
    if (!event.args().isArrayValue()) {
      replyError(
          peer,
          id,
          "BadRequest",
          "args of a call must be an array, got " + Event.typeName(event.args()));
      return;
    }
    ChannelKey key = new ChannelKey(peer, id.rawBytes());
    log.debug("request {} {} from {}", event.name(), id, peer);
    if (channels.containsKey(key)) {
      dropLog.warn("dropped request {} from {}: message_id {} is in use", event.name(), peer, id);
      return;
    }
    ServerChannel channel =
        new ServerChannel(
            this,
            key,
            peer,
            id,
            event.name(),
            List.copyOf(event.args().asArrayValue().list()),
            event.version().orElse(1),
            now,
            heartbeatNanos);
    channels.put(key, channel);
    channelCount = channels.size();
    if (answeredOnArrival(channel)) {
      return;
    }
    try {
      workers.execute(() -> runHandler(channel));
    } catch (RejectedExecutionException e) {
      channels.remove(key);
      channelCount = channels.size();
      replyError(peer, id, "Overloaded", "the server has too many calls waiting; retry later");
    }
  }

  /** Lets the handler answer a cheap call on this I/O thread, with no worker hop. */
  private boolean answeredOnArrival(ServerChannel channel) {
    try {
      return handler.onArrival(channel);
    } catch (RuntimeException e) {
      log.debug(
          "{} not answered on arrival, a worker takes it: {}", channel.method(), e.toString());
      return false;
    }
  }

  private void runHandler(ServerChannel channel) {
    try {
      handler.onCall(channel);
    } catch (Throwable t) {
      log.warn("handler for {} failed", channel.method(), t);
      channel.failFromHandler(t);
    }
  }

  private void sendOnChannel(ServerChannel channel, byte[] event, boolean last) {
    if (channels.get(channel.key) != channel) {
      return; // channel lost or server closing: dropped
    }
    send(channel.peer(), event);
    if (last) {
      channels.remove(channel.key);
      channelCount = channels.size();
      channel.markClosed();
    }
  }

  /** Heartbeats due and lost peers, over all open channels. */
  private void sweep(long now) {
    long lostAfter = 2 * heartbeatNanos;
    List<ServerChannel> lost = null;
    for (Iterator<ServerChannel> it = channels.values().iterator(); it.hasNext(); ) {
      ServerChannel channel = it.next();
      boolean active = !channel.passiveHeartbeat || channel.heardHeartbeat;
      if (!active) {
        continue; // zerorpc v1 peers: passive until they heartbeat first
      }
      if (now - channel.lastHeardNanos > lostAfter) {
        it.remove();
        if (lost == null) {
          lost = new ArrayList<>();
        }
        lost.add(channel);
        continue;
      }
      if (now - channel.nextHeartbeatNanos >= 0) {
        send(
            channel.peer(),
            Event.create(
                    MessageId.generate(),
                    channel.requestId(),
                    HEARTBEAT,
                    ValueFactory.newArray(ValueFactory.newInteger(0)))
                .encode());
        channel.nextHeartbeatNanos = Math.max(channel.nextHeartbeatNanos + heartbeatNanos, now);
      }
    }
    if (lost != null) {
      channelCount = channels.size();
      for (ServerChannel channel : lost) {
        log.debug("lost remote on {}: nothing heard for {} ms", channel, lostAfter / 1_000_000);
        channel.markClosed();
      }
    }
  }

  private void reject(PeerId peer, byte[] payload, String problem) {
    Event.PeekedIds ids = Event.peekIds(payload);
    if (ids.messageId() != null && !ids.hasResponseTo()) {
      dropLog.warn("bad request from {}: {}", peer, problem);
      replyError(peer, ids.messageId(), "BadRequest", problem);
    } else {
      dropLog.warn("dropped a bad event from {}: {}", peer, problem);
    }
  }

  private void replyError(PeerId peer, MessageId responseTo, String errorName, String message) {
    send(
        peer,
        Event.create(
                MessageId.generate(),
                responseTo,
                "ERR",
                ValueFactory.newArray(
                    ValueFactory.newString(errorName),
                    ValueFactory.newString(message),
                    ValueFactory.newNil()))
            .encode());
  }

  private void send(PeerId peer, byte[] payload) {
    for (byte[] frame : peer.rawFrames()) {
      router.send(frame, ZMQ.SNDMORE);
    }
    router.send(EMPTY, ZMQ.SNDMORE);
    router.send(payload, 0);
  }

  private static long firstCount(Value args) {
    if (args.isArrayValue() && args.asArrayValue().size() > 0) {
      Value n = args.asArrayValue().get(0);
      if (n.isIntegerValue() && n.asIntegerValue().isInLongRange()) {
        return n.asIntegerValue().toLong();
      }
    }
    return 0;
  }

  // ---------------------------------------------------------------- helpers

  /**
   * Exceptions on JeroMQ's own threads. A closed-channel error is a known JeroMQ race while a
   * context shuts down and is only logged at debug.
   */
  static void jeromqFailure(Thread thread, Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof ClosedChannelException) {
        log.debug("JeroMQ thread {} failed while closing", thread.getName(), error);
        return;
      }
    }
    log.warn("JeroMQ thread {} failed", thread.getName(), error);
  }

  static int portOf(String endpoint) {
    int colon = endpoint.lastIndexOf(':');
    try {
      return Integer.parseInt(endpoint.substring(colon + 1));
    } catch (RuntimeException e) {
      return -1;
    }
  }

  static void join(Thread thread) {
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      log.warn("{} did not stop within 10 s", thread.getName());
    }
  }

  /**
   * Runs a close as if the calling thread were not interrupted, and interrupts it again after. On
   * an interrupted thread the waits for the I/O thread and the handlers would end at once, and NIO
   * would close the channels the close touches, under threads still using them.
   */
  static void uninterruptibly(Runnable close) {
    boolean interrupted = Thread.interrupted();
    try {
      close.run();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Waits for an executor's tasks, unless called from one of them (it would wait for itself). */
  static void await(ExecutorService executor, NamedThreads threads) {
    if (threads.ownsCurrentThread()) {
      return;
    }
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        log.warn("zerorpc threads still busy 5 s after close; interrupting them");
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      executor.shutdownNow();
    }
  }
}
