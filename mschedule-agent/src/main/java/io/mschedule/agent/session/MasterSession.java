package io.mschedule.agent.session;

import io.mschedule.agent.AgentConfig;
import io.mschedule.agent.host.HostFacts;
import io.mschedule.agent.runner.RunKeys;
import io.mschedule.agent.runner.RunListener;
import io.mschedule.agent.runner.RunManager;
import io.mschedule.agent.runner.RunResult;
import io.mschedule.agent.runner.RunSpec;
import io.mschedule.agent.runner.RunStatus;
import io.mschedule.agent.spool.DurableFiles;
import io.mschedule.agent.spool.PendingResults;
import io.mschedule.agent.spool.ResultSpool;
import io.mschedule.protocol.keys.KeyFiles;
import io.mschedule.protocol.message.Heartbeat;
import io.mschedule.protocol.message.KillOrder;
import io.mschedule.protocol.message.Message;
import io.mschedule.protocol.message.MessageCodec;
import io.mschedule.protocol.message.MessageTypes;
import io.mschedule.protocol.message.OutputChunk;
import io.mschedule.protocol.message.OutputStreams;
import io.mschedule.protocol.message.Register;
import io.mschedule.protocol.message.StdStream;
import io.mschedule.protocol.message.Subscribe;
import io.mschedule.protocol.message.Subscribed;
import io.mschedule.protocol.message.TaskOrder;
import io.mschedule.protocol.signing.OrderVerifier;
import io.mschedule.protocol.zerorpc.ClientOptions;
import io.mschedule.protocol.zerorpc.ClientStream;
import io.mschedule.protocol.zerorpc.CurveKeys;
import io.mschedule.protocol.zerorpc.RemoteErrorException;
import io.mschedule.protocol.zerorpc.StreamListener;
import io.mschedule.protocol.zerorpc.ZeroRpcClient;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's connection to its master: connect, register, subscribe to orders, heartbeat, and on
 * any failure reconnect forever with backoff. Orders go to the {@link RunManager}; results go
 * through the spool and the {@link Outbox}.
 */
public final class MasterSession implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MasterSession.class);
  static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  static final Duration MAX_RETRY = Duration.ofSeconds(30);

  /** The pause before trying the next master of the list, while some are still untried. */
  static final Duration NEXT_MASTER_DELAY = Duration.ofMillis(100);

  private final AgentConfig config;
  private final String agentId;
  private final String version;
  private final Supplier<HostFacts> facts;
  private final RunManager runs;
  private final PendingResults results;
  private final StartedRuns started;
  private final Outbox outbox;
  private final Clock clock;
  private final CurveKeys.KeyPair keys;
  private final Object wake = new Object();
  private final AtomicReference<String> broken = new AtomicReference<>();
  private final AtomicLong reconnects = new AtomicLong();
  private volatile boolean closed;
  private volatile boolean registered;
  private volatile String masterSession;

  /** How often to heartbeat while subscribed, as the master asked at registration. */
  private volatile Duration subscribedHeartbeat;

  private final MasterLink link;
  private final KeyStateLog keyState;
  private final MasterRotation masters;
  private final ConnectionTrouble troubles;
  private final OrderTrust orderTrust;
  private final RecentOrders recentOrders;
  private final AtomicLong ordersRefused = new AtomicLong();
  private String lastTrouble;
  private Thread thread;

  public MasterSession(
      AgentConfig config,
      String agentId,
      String version,
      Supplier<HostFacts> facts,
      RunManager runs,
      ResultSpool spool,
      Clock clock) {
    this(config, agentId, version, facts, runs, spool, clock, new MasterLink());
  }

  /**
   * @param link set to the connection while there is one (runs fetch their files over it)
   */
  public MasterSession(
      AgentConfig config,
      String agentId,
      String version,
      Supplier<HostFacts> facts,
      RunManager runs,
      ResultSpool spool,
      Clock clock,
      MasterLink link) {
    this.link = link;
    this.config = config;
    this.agentId = agentId;
    this.version = version;
    this.facts = facts;
    this.runs = runs;
    this.clock = clock;
    this.keys = KeyFiles.loadOrCreate(config.dataDir(), "agent");
    this.started = new StartedRuns(config.dataDir().resolve("running"));
    this.results = new PendingResults(spool, started::clear);
    this.outbox = new Outbox(agentId, results, config.callTimeout());
    this.keyState = new KeyStateLog(agentId, config.joinToken() != null);
    this.masters = new MasterRotation(config.masters());
    this.troubles = new ConnectionTrouble(agentId, masters.current().endpoint());
    this.orderTrust = new OrderTrust(config.orderKey(), config.dataDir());
    this.recentOrders = new RecentOrders(OrderVerifier.MAX_AGE.multipliedBy(2), clock);
    reportInterruptedRuns();
  }

  /** Runs that were going when the agent stopped without reporting them are reported lost. */
  private void reportInterruptedRuns() {
    for (String key : started.all()) {
      if (results.contains(key)) {
        started.clear(key);
      } else {
        long now = clock.millis();
        boolean saved =
            results.add(
                new RunResult(
                    RunKeys.taskId(key),
                    RunStatus.LOST,
                    -1,
                    new byte[0],
                    false,
                    0,
                    "the agent stopped while the script was running",
                    now,
                    now,
                    OutputStreams.ALL_STDOUT,
                    RunKeys.attempt(key)));
        log.warn("task {} was running when the agent stopped; reporting it lost", key);
        if (saved) {
          started.clear(key);
        }
      }
    }
  }

  public synchronized void start() {
    thread = new Thread(this::loop, "mschedule-session");
    thread.setDaemon(true);
    thread.start();
  }

  /** How many times the link to the master was lost or could not be made, since start. */
  public long reconnects() {
    return reconnects.get();
  }

  /** The endpoint of the master the agent is connected to or trying now. */
  public String currentMaster() {
    return masters.current().endpoint();
  }

  /** How many orders were refused since start: unsigned, badly signed, or too old. */
  public long ordersRefused() {
    return ordersRefused.get();
  }

  /** True while registered with a master. */
  public boolean registered() {
    return registered;
  }

  private void loop() {
    Backoff backoff = new Backoff(FIRST_RETRY, MAX_RETRY);
    while (!closed) {
      try {
        connectOnce(backoff);
      } catch (InterruptedException e) {
        if (closed) {
          return;
        }
      } catch (Exception e) {
        if (closed) {
          return; // stopping: the socket was interrupted on purpose
        }
        trouble(troubles.describe(e, registered));
      }
      registered = false;
      broken.set(null);
      if (!closed) {
        reconnects.incrementAndGet();
        String left = masters.current().endpoint();
        boolean roundFailed = masters.failed();
        String next = masters.current().endpoint();
        troubles.master(next);
        if (roundFailed) {
          Duration d = backoff.next();
          log.info("reconnecting to {} in {} ms", next, d.toMillis());
          pause(d);
        } else {
          log.info("moving from master {} to {}", left, next);
          pause(NEXT_MASTER_DELAY);
        }
      }
    }
  }

  /** Logs a connection problem; the same one again only at debug level, until another occurs. */
  private void trouble(String what) {
    if (what.equals(lastTrouble)) {
      log.debug("{} (again)", what);
    } else {
      log.warn("{}", what);
      lastTrouble = what;
    }
  }

  private void connectOnce(Backoff backoff) throws Exception {
    broken.set(null);
    io.mschedule.agent.MasterEndpoint master = masters.current();
    try (ZeroRpcClient client =
        ZeroRpcClient.connect(
            new ClientOptions(master.endpoint())
                .curve(master.key(), keys.publicKey(), keys.secretKey()))) {
      register(client);
      registered = true;
      masters.connected();
      lastTrouble = null;
      backoff.reset();
      outbox.connected(client);
      link.connected(client);
      try {
        awaitAcceptance(client);
        if (!closed && broken.get() == null) {
          try (ClientStream orders =
              client.stream(
                  MessageTypes.METHOD_SUBSCRIBE,
                  new OrderListener(),
                  config.callTimeout(),
                  MessageCodec.encode(new Subscribe(agentId)))) {
            while (!closed && broken.get() == null) {
              pause(subscribedHeartbeat);
              if (closed || broken.get() != null) {
                break;
              }
              heartbeat(client);
            }
          }
        }
      } finally {
        link.disconnected();
        outbox.disconnected();
      }
      if (broken.get() != null) {
        trouble("order stream ended: " + broken.get());
      }
    }
  }

  /**
   * A pending key gets no orders: the agent heartbeats on the same connection (the answers carry
   * the key's state) and subscribes once an operator has accepted it, within one heartbeat.
   */
  private void awaitAcceptance(ZeroRpcClient client) throws Exception {
    while (!closed && broken.get() == null && keyState.pending()) {
      pause(config.heartbeat());
      if (!closed && broken.get() == null) {
        heartbeat(client); // a restarted master ends the wait (broken): the agent registers again
      }
    }
  }

  private void register(ZeroRpcClient client) throws Exception {
    HostFacts f = facts.get();
    Register r =
        new Register(
            agentId,
            f.hostname(),
            f.ip(),
            config.labels(),
            version,
            MessageTypes.PROTOCOL_VERSION,
            List.copyOf(runs.running()),
            config.joinToken(),
            config.name());
    Value ack =
        client
            .call(MessageTypes.METHOD_SENDMSG, config.callTimeout(), MessageCodec.encode(r))
            .get();
    orderTrust.offered(ack, masters.current().endpoint());
    masterSession = sessionOf(ack);
    subscribedHeartbeat = subscribedHeartbeat(ack, config.heartbeat());
    log.info(
        "registered with {} as {} ({})",
        masters.current().endpoint(),
        agentId,
        config.name() == null ? f.hostname() : config.name());
    keyState.seen(ack);
  }

  /**
   * A heartbeat unanswered for two intervals means the connection is gone (the master may have
   * restarted and dropped the request): give up on it sooner than the general call timeout, so the
   * agent reconnects and re-registers quickly.
   */
  private Duration heartbeatTimeout() {
    Duration twice = config.heartbeat().multipliedBy(2);
    return twice.compareTo(config.callTimeout()) < 0 ? twice : config.callTimeout();
  }

  private void heartbeat(ZeroRpcClient client) throws Exception {
    HostFacts f = facts.get();
    Heartbeat h = new Heartbeat(agentId, f.hostname(), f.ip(), List.copyOf(runs.running()));
    try {
      Value ack =
          client
              .call(MessageTypes.METHOD_SENDMSG, heartbeatTimeout(), MessageCodec.encode(h))
              .get();
      keyState.seen(ack);
      String s = sessionOf(ack);
      if (s != null && !s.equals(masterSession)) {
        fail("the master restarted");
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RemoteErrorException re && "UnknownAgent".equals(re.name())) {
        log.info("master does not know this agent any more; registering again");
        register(client);
        outbox.connected(client);
        return;
      }
      throw e;
    }
  }

  /**
   * The heartbeat interval while the order stream is open: the register answer's {@code
   * stream_heartbeat} when the master gives one (its stream's zerorpc heartbeats keep the agent
   * seen in between) and it is longer than the agent's own, else the agent's own.
   */
  static Duration subscribedHeartbeat(Value ack, Duration own) {
    if (ack != null && ack.isMapValue()) {
      Value v = ack.asMapValue().map().get(ValueFactory.newString("stream_heartbeat"));
      if (v != null && v.isIntegerValue() && v.asIntegerValue().isInLongRange()) {
        long seconds = v.asIntegerValue().toLong();
        if (seconds > own.toSeconds() && seconds <= 3600) {
          return Duration.ofSeconds(seconds);
        }
      }
    }
    return own;
  }

  /** The master's session id in an acknowledgement, or null. */
  static String sessionOf(Value ack) {
    if (ack != null && ack.isMapValue()) {
      Value v = ack.asMapValue().map().get(ValueFactory.newString("session"));
      if (v != null && v.isStringValue()) {
        return v.asStringValue().asString();
      }
    }
    return null;
  }

  private final class OrderListener implements StreamListener {
    @Override
    public void onItem(Value item) {
      try {
        Message m = MessageCodec.decode(item);
        if ((m instanceof TaskOrder || m instanceof KillOrder) && refused(item, m)) {
          return;
        }
        if (m instanceof TaskOrder t) {
          runTask(t);
        } else if (m instanceof KillOrder k) {
          if (runs.kill(k.id())) {
            log.info("task {} killed on request", k.id());
          }
        } else if (!(m instanceof Subscribed)) {
          log.warn("ignoring unexpected order of type {}", m.type());
        }
      } catch (RuntimeException e) {
        log.warn("ignoring a bad order: {}", e.getMessage());
      }
    }

    @Override
    public void onEnd() {
      fail("ended by the master");
    }

    @Override
    public void onError(Throwable error) {
      fail(troubles.describe(error, true));
    }
  }

  /** True, with a log line naming the order and why, when the order must not be acted on. */
  private boolean refused(Value item, Message order) {
    String problem = orderTrust.problem(item, order, clock.millis());
    if (problem == null) {
      return false;
    }
    ordersRefused.incrementAndGet();
    String what =
        order instanceof TaskOrder t
            ? "task " + RunKeys.of(t.id(), t.attempt())
            : "kill order for task " + ((KillOrder) order).id();
    log.error("refused the {} from {}: {}", what, masters.current().endpoint(), problem);
    return true;
  }

  private void runTask(TaskOrder t) {
    String key = RunKeys.of(t.id(), t.attempt());
    if (started.contains(key) || results.contains(key) || !recentOrders.firstTime(key)) {
      return; // already running, or ended (its result may be on its way, or taken)
    }
    String mismatch = ScriptChecksum.mismatch(t.script(), t.scriptSha256());
    if (mismatch != null) {
      long now = clock.millis();
      results.add(RunResult.failedToStart(t.id(), mismatch, now, now).withAttempt(t.attempt()));
      log.error("task {} not started: {}", key, mismatch);
      outbox.resultReady();
      return;
    }
    RunSpec spec = OrderSpecs.spec(t, agentId, facts.get().hostname());
    // The run's process starts while its marker is written; the script waits at its gate until
    // the marker is durable (without it a restart could run the script twice).
    CompletableFuture<Void> marked = new CompletableFuture<>();
    boolean accepted =
        runs.start(
            spec,
            new RunListener() {
              @Override
              public void onOutput(String taskId, long seq, byte[] chunk) {
                outbox.output(taskId, seq, OutputChunk.NO_OFFSET, StdStream.STDOUT, chunk);
              }

              @Override
              public void onOutput(
                  String taskId, long seq, long offset, StdStream stream, byte[] chunk) {
                outbox.output(taskId, seq, offset, stream, chunk);
              }

              @Override
              public void beforeScript() throws IOException, InterruptedException {
                try {
                  marked.get();
                } catch (ExecutionException e) {
                  throw (IOException) e.getCause();
                }
              }

              @Override
              public void onResult(RunResult result) {
                marked.exceptionally(e -> null).join(); // the marker is never written after this
                if (results.add(result)) {
                  started.clear(result.runKey());
                  outbox.resultReady(result);
                } else {
                  // held in memory as a failure saying why; the marker stays until it is safe
                  outbox.resultReady();
                }
              }
            });
    if (!accepted) {
      return;
    }
    try {
      started.mark(key);
      marked.complete(null);
    } catch (IOException | RuntimeException e) { // the run waits at its gate: always answer it
      log.error("task {} not started: cannot write its run marker: {}", key, e.toString());
      String why = e instanceof IOException io ? DurableFiles.describe(io) : e.toString();
      marked.completeExceptionally(
          new IOException(
              why + "; the agent could not record the start of the run, so it did not run it", e));
      return;
    }
    log.info(
        "task {} started (timeout {} s{})",
        key,
        t.timeout(),
        t.files().isEmpty()
            ? ""
            : ", " + t.files().size() + " file(s)" + (t.copy() ? " to copy" : ""));
  }

  private void fail(String why) {
    broken.compareAndSet(null, why);
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  private void pause(Duration d) {
    synchronized (wake) {
      if (closed || broken.get() != null) {
        return;
      }
      try {
        wake.wait(Math.max(1, d.toMillis()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    synchronized (wake) {
      wake.notifyAll();
    }
    Thread t = thread;
    if (t != null) {
      t.interrupt();
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    outbox.close();
  }
}
