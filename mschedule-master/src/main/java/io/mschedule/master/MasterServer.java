package io.mschedule.master;

import io.mschedule.master.agents.AgentRegistry;
import io.mschedule.master.agents.LastSeenFlushLoop;
import io.mschedule.master.agents.LivenessLoop;
import io.mschedule.master.api.ApiLimits;
import io.mschedule.master.api.ApiRoutes;
import io.mschedule.master.api.ApiServer;
import io.mschedule.master.api.Views;
import io.mschedule.master.backup.BackupRoutes;
import io.mschedule.master.cluster.Advertised;
import io.mschedule.master.cluster.ClusterHeartbeat;
import io.mschedule.master.cluster.ClusterRoutes;
import io.mschedule.master.cluster.MasterIdentity;
import io.mschedule.master.config.Loopback;
import io.mschedule.master.config.MasterConfig;
import io.mschedule.master.dispatch.AgentGateway;
import io.mschedule.master.dispatch.DispatchEvents;
import io.mschedule.master.dispatch.LeasedOwnership;
import io.mschedule.master.dispatch.ResultRecorder;
import io.mschedule.master.dispatch.SoleOwnership;
import io.mschedule.master.dispatch.TaskCoordinator;
import io.mschedule.master.dispatch.TaskFileRules;
import io.mschedule.master.dispatch.TaskService;
import io.mschedule.master.files.FileRoutes;
import io.mschedule.master.files.FileServing;
import io.mschedule.master.files.FileStore;
import io.mschedule.master.jobs.JobRoutes;
import io.mschedule.master.jobs.JobService;
import io.mschedule.master.live.TaskEvents;
import io.mschedule.master.metrics.MasterMetrics;
import io.mschedule.master.metrics.MetricsRoutes;
import io.mschedule.master.peer.PeerRoute;
import io.mschedule.master.relay.RelayAdmission;
import io.mschedule.master.relay.RelayRegistry;
import io.mschedule.master.relay.RelayRoutes;
import io.mschedule.master.relay.RelayRpcHandler;
import io.mschedule.master.retention.H2CompactionLoop;
import io.mschedule.master.retention.RetentionLoop;
import io.mschedule.master.rpc.AgentLinks;
import io.mschedule.master.rpc.AgentRpcHandler;
import io.mschedule.master.rpc.KeyJoinPolicy;
import io.mschedule.master.rpc.ZeroRpcGateway;
import io.mschedule.master.schedule.ScheduleLoop;
import io.mschedule.master.schedule.ScheduleRoutes;
import io.mschedule.master.schedule.ScheduleService;
import io.mschedule.master.security.ApiSecurity;
import io.mschedule.master.security.DataDirPermissions;
import io.mschedule.master.security.keys.AgentRemovalRoutes;
import io.mschedule.master.security.keys.JoinTokenRoutes;
import io.mschedule.master.security.keys.JoinTokens;
import io.mschedule.master.security.keys.KeyRegistry;
import io.mschedule.master.security.keys.KeyRoutes;
import io.mschedule.master.security.keys.KeySync;
import io.mschedule.master.security.keys.PendingLimits;
import io.mschedule.master.store.KeyState;
import io.mschedule.master.store.jdbc.Database;
import io.mschedule.master.store.jdbc.DatabaseConfig;
import io.mschedule.master.store.jdbc.H2Compaction;
import io.mschedule.master.store.jdbc.SecurityTables;
import io.mschedule.protocol.keys.KeyFiles;
import io.mschedule.protocol.metrics.MetricsHttpServer;
import io.mschedule.protocol.signing.OrderKeys;
import io.mschedule.protocol.signing.OrderSigner;
import io.mschedule.protocol.zerorpc.CurveKeys;
import io.mschedule.protocol.zerorpc.ServerOptions;
import io.mschedule.protocol.zerorpc.ZeroRpcServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires and runs a master: database, registry, dispatch, agent port and HTTP API. */
public final class MasterServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MasterServer.class);

  private final MasterConfig config;
  private final Clock clock;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  /** The master's CURVE key pair is {@code <data-dir>/master.key} and {@code master.pub}. */
  public static final String MASTER_KEY_NAME = "master";

  /** zerorpc's per-channel heartbeat, as every zerorpc client expects it (not configurable). */
  static final Duration AGENT_CHANNEL_HEARTBEAT = ServerOptions.ZERORPC_HEARTBEAT;

  /**
   * Threads serving agents' calls on each agent port. A registration holds its thread while its
   * key, audit entry and agent row are stored (each in a transaction shared with the registrations
   * that arrive with it), so more threads make larger shared transactions: 10,000 simulated agents
   * register in ~11 s with 32, ~15 s with 4 (zerorpc's default); 64 or 128 add nothing.
   */
  static final int AGENT_WORKERS = 32;

  /** How often agents' last_seen is written to the database. */
  static final Duration LAST_SEEN_FLUSH = Duration.ofSeconds(10);

  private ZeroRpcServer rpc;
  private ZeroRpcServer plainRpc;
  private CurveKeys.KeyPair masterKeys;
  private java.security.KeyPair orderKeys;
  private JoinTokens joinTokens;
  private ApiServer api;
  private AgentRegistry registry;
  private RelayRegistry relays;
  private MetricsHttpServer metricsServer;
  private String masterId;

  private MasterServer(MasterConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  public static MasterServer start(MasterConfig config) {
    return start(config, Clock.systemUTC());
  }

  /** A master that reads the time from {@code clock} (tests move a clock instead of waiting). */
  public static MasterServer start(MasterConfig config, Clock clock) {
    MasterServer m = new MasterServer(config, clock);
    try {
      m.startAll();
      return m;
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  private void startAll() {
    try {
      Files.createDirectories(config.dataDir());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create data dir " + config.dataDir(), e);
    }
    DataDirPermissions.secure(config.dataDir());
    Database db =
        Database.open(
            new DatabaseConfig(
                config.dbUrl(), config.dbUser(), config.dbPassword(), config.dbPoolSize()));
    closeables.add(db);
    // API security: tokens and roles, audit log, rate limit, TLS (docs/security.md)
    ApiSecurity security = ApiSecurity.open(db, config, clock);

    masterKeys = KeyFiles.loadOrCreate(config.dataDir(), MASTER_KEY_NAME);
    orderKeys = OrderKeys.loadOrCreate(config.dataDir());
    joinTokens = new JoinTokens(config.dataDir(), clock);
    KeyRegistry keys =
        new KeyRegistry(
            db.keyStore(),
            joinTokens,
            clock,
            security.audit(),
            new PendingLimits(config.maxPendingAgents(), clock));
    registry = new AgentRegistry(db.agentStore(), clock, config.offlineAfter());
    masterId = MasterIdentity.loadOrCreate(config.dataDir());
    registry.localMaster(masterId);
    // with several masters, an agent may have joined through another one: its key is in the store
    boolean shared = !"h2".equals(db.dialect().name());
    registry.keyStates(
        id ->
            (shared ? keys.stateOf(id).or(() -> keys.learn(id)) : keys.stateOf(id))
                .map(k -> k.name().toLowerCase(Locale.ROOT))
                .orElse("none"));
    TaskEvents events = new TaskEvents();
    // runs left RUNNING by the previous master may still send output
    db.taskStore().unfinishedTasks().forEach(t -> db.taskStore().runs(t.id()).forEach(events::run));
    AgentLinks links = new AgentLinks();
    // masters sharing PostgreSQL reach each other's agents through the database; H2 is one master
    PeerRoute peers =
        shared
            ? new PeerRoute(
                db.runOrderStore(),
                db.liveOutputStore(),
                db.taskStore(),
                masterId,
                config.masterDeadAfter(),
                config.offlineAfter().plus(LAST_SEEN_FLUSH),
                clock)
            : null;
    OrderSigner signer = new OrderSigner(orderKeys.getPrivate());
    AgentGateway direct = new ZeroRpcGateway(links, signer, clock);
    relays = new RelayRegistry(db.relayStore(), clock, config.relayGrace(), config.heartbeat());
    registry.holdOnline(relays::unreachable);
    TaskCoordinator coordinator =
        new TaskCoordinator(
            db.taskStore(),
            registry,
            peers == null ? direct : peers.gateway(direct, registry),
            events,
            clock,
            config.resultGrace(),
            shared
                ? new LeasedOwnership(
                    db.taskStore(), db.leaseStore(), masterId, config.masterDeadAfter())
                : new SoleOwnership(db.taskStore())); // H2 has one master: no lease to fence
    registry.addListener(coordinator);
    keys.addListener(
        k -> {
          if (k.state() == null && KeyRegistry.DROPPED_BY.equals(k.decidedBy())) {
            registry.forget(k.agentId());
          }
          if (k.state() != KeyState.ACCEPTED) {
            links.drop(
                k.agentId(),
                "Refused",
                "the agent's key was " + (k.state() == null ? "deleted" : "rejected"));
          }
          if (k.state() == null) {
            registry.remove(k.agentId()); // a deleted key takes its agent out of the fleet
          }
          coordinator.wake();
        });
    if (shared) { // decisions made through other masters hold here too
      KeySync keySync = new KeySync(keys);
      keySync.start();
      closeables.add(0, keySync);
    }
    DispatchEvents dispatchEvents =
        new DispatchEvents(
            coordinator, new ResultRecorder(db.taskStore(), events, coordinator, clock), events);
    AgentGateway.Events agentEvents =
        peers == null
            ? dispatchEvents
            : peers.events(
                dispatchEvents,
                events,
                new ZeroRpcGateway(links, signer, clock),
                coordinator::runFinished,
                events::run);
    if (peers != null) {
      closeables.add(0, peers);
    }
    closeables.add(0, dispatchEvents); // its result writer: after the agent port, before the store
    JobService jobs = new JobService(db.jobStore(), clock, config.maxScriptBytes());
    FileStore fileStore =
        new FileStore(config.dataDir().resolve("files"), shared ? db.fileBlobs() : null);
    FileServing fileServing =
        new FileServing(
            fileStore,
            db.taskStore()::findTask,
            // a run driven by another master may reach its agent here before this master hears
            // of it: the database says whether it runs
            (task, agent) ->
                events.isRunning(task, agent)
                    || (shared
                        && db.taskStore()
                            .findRun(task, agent)
                            .filter(r -> r.state() == io.mschedule.master.task.RunState.RUNNING)
                            .isPresent()));
    TaskService tasks =
        new TaskService(
            registry,
            coordinator,
            clock,
            config.maxScriptBytes(),
            config.maxTargets(),
            config.defaultParallel(),
            jobs,
            new TaskFileRules(db.fileCatalog(), fileStore::has),
            security.audit());

    MasterMetrics metrics = new MasterMetrics(registry, db.taskStore()::waitingRuns, events);
    closeables.add(metrics);
    if (config.retentionDays() > 0) {
      RetentionLoop retention =
          new RetentionLoop(
              db.taskStore(), SecurityTables.audit(db), clock, config.retentionDays());
      retention.start();
      closeables.add(0, retention);
    }

    ScheduleService schedules = new ScheduleService(db.scheduleStore(), jobs, tasks, clock);
    ScheduleLoop scheduleLoop =
        new ScheduleLoop(
            db.scheduleStore(),
            db.taskStore(),
            schedules,
            coordinator,
            security.audit(),
            clock,
            Duration.ofMillis(500));
    if (!shared) {
      H2CompactionLoop compaction = new H2CompactionLoop(new H2Compaction(db.dataSource()));
      compaction.start();
      closeables.add(0, compaction);
    }
    LivenessLoop liveness = new LivenessLoop(registry);
    LastSeenFlushLoop flush = new LastSeenFlushLoop(registry, db.agentStore(), LAST_SEEN_FLUSH);
    coordinator.resume();
    coordinator.start();
    liveness.start();
    flush.start();
    scheduleLoop.start();
    closeables.add(0, scheduleLoop);
    closeables.add(0, flush);
    closeables.add(0, liveness);
    // after the coordinator stopped: a master stopping on purpose hands its tasks over at once
    closeables.add(0, () -> db.leaseStore().release(masterId));
    closeables.add(0, coordinator);

    // one handler per listener: they differ only in how an agent proves who it is
    Function<Boolean, AgentRpcHandler> handler =
        plain ->
            new AgentRpcHandler(
                registry,
                links,
                agentEvents,
                config.heartbeat(),
                new KeyJoinPolicy(keys, plain, clock),
                config.maxOutputBytes(),
                events::isRunning,
                fileServing);
    rpc =
        ZeroRpcServer.start(
            listener(config.agentBind())
                .curve(masterKeys.publicKey(), masterKeys.secretKey())
                .authenticator(k -> keys.allowConnection(CurveKeys.encodeZ85(k))),
            new RelayRpcHandler(
                handler.apply(false).orderKey(orderKey()),
                handler.apply(true).orderKey(orderKey()),
                new RelayAdmission(keys),
                relays,
                config.heartbeat()));
    closeables.add(0, rpc);
    if (config.plainAgentBind() != null) {
      plainRpc =
          ZeroRpcServer.start(
              listener(config.plainAgentBind()), handler.apply(true).orderKey(orderKey()));
      closeables.add(0, plainRpc);
      log.warn(
          "compatibility listener {} is NOT encrypted: agents there need a join token, and their"
              + " traffic (scripts, output) can be read and forged on the network",
          config.plainAgentBind());
    }
    api =
        new ApiServer(
                registry,
                db.taskStore(),
                tasks,
                coordinator,
                events,
                security.access(),
                security.audit(),
                withKeys(
                    security.routes(),
                    new KeyRoutes(keys, security.access()),
                    new JoinTokenRoutes(joinTokens, security.access(), security.audit(), clock),
                    new AgentRemovalRoutes(registry, keys, security.access(), security.audit()),
                    new MetricsRoutes(metrics, security.access()),
                    new RelayRoutes(relays),
                    new ClusterRoutes(
                        db.masterStore(),
                        shared ? db.leaseStore() : null,
                        masterId,
                        config.masterDeadAfter()),
                    new JobRoutes(jobs, security.access(), security.audit()),
                    new FileRoutes(
                        fileStore,
                        db.fileCatalog(),
                        security.access(),
                        security.audit(),
                        clock,
                        FileRoutes.MAX_FILE_BYTES),
                    new ScheduleRoutes(
                        schedules,
                        db.taskStore(),
                        security.access(),
                        security.audit(),
                        new Views(registry::displayName)),
                    new BackupRoutes(
                        db.dataSource(),
                        config.dbUrl(),
                        config.dataDir(),
                        security.access(),
                        security.audit())),
                new ApiLimits(
                    6L * config.maxScriptBytes() + 65_536,
                    config.maxTargets(),
                    config.maxStreamsPerToken(),
                    config.maxStreams()),
                security.server().andThen(metrics::countRequests),
                clock)
            .relays(id -> relays.relayOf(id).orElse(null), relays::unreachable)
            .start(config.httpHost(), config.httpPort());
    closeables.add(0, api);
    if (config.tlsCert() == null && !Loopback.is(config.httpHost())) {
      log.warn(
          "the API listens on {} without TLS: API tokens and scripts cross the network in clear;"
              + " set tls-cert and tls-key, or bind the API to 127.0.0.1",
          config.httpHost());
    }
    ClusterHeartbeat cluster =
        new ClusterHeartbeat(
            db.masterStore(),
            registry,
            masterId,
            Advertised.agentEndpoint(config.advertiseAgent(), config.agentBind(), rpc.port()),
            Advertised.apiUrl(
                config.advertiseApi(), config.httpHost(), api.port(), config.tlsCert() != null),
            coordinator::activeTasks,
            config.masterDeadAfter());
    cluster.join();
    if (peers != null) {
      registry.addListener(PeerRoute.onOnline(cluster::wake)); // record new links at once
    }
    cluster.start();
    closeables.add(0, cluster);
    DataDirPermissions.secure(config.dataDir()); // and what the database and key files created
    security.bootstrapAdmin();
    if (config.metricsHost() != null) {
      metricsServer =
          MetricsHttpServer.start(config.metricsHost(), config.metricsPort(), metrics::scrape);
      closeables.add(0, metricsServer);
      log.info(
          "metrics without authentication on http://{}:{}/metrics",
          config.metricsHost(),
          metricsServer.port());
    }
    String pub = CurveKeys.encodeZ85(masterKeys.publicKey());
    log.info(
        "mschedule master ready: agents on {} (port {}, CURVE), API on {}://{}:{}",
        config.agentBind(),
        rpc.port(),
        config.tlsCert() == null ? "http" : "https",
        config.httpHost(),
        api.port());
    log.info(
        "agents join with: mschedule agent --master tcp://<this-host>:{} --master-key '{}'"
            + " (new agent keys wait for 'mschedule keys accept'; or add --join-token from"
            + " 'mschedule master token create')",
        rpc.port(),
        pub);
    log.info(
        "orders are signed with the order key {} (agents pin it on first contact; agents behind"
            + " a relay take it as --order-key)",
        orderKey());
  }

  /** The master's public key as Z85 text (what agents are given as --master-key). */
  public String publicKey() {
    return CurveKeys.encodeZ85(masterKeys.publicKey());
  }

  /** The public half of the order key, as Base64 (what agents are given as --order-key). */
  public String orderKey() {
    return OrderKeys.encode(orderKeys.getPublic());
  }

  public JoinTokens joinTokens() {
    return joinTokens;
  }

  public int plainAgentPort() {
    return plainRpc == null ? -1 : plainRpc.port();
  }

  private ServerOptions listener(String endpoint) {
    return new ServerOptions(endpoint)
        .name("mschedule-master")
        .workerThreads(AGENT_WORKERS)
        .heartbeatInterval(AGENT_CHANNEL_HEARTBEAT)
        .maxMessageBytes(config.maxMessageBytes());
  }

  private static List<ApiRoutes> withKeys(List<ApiRoutes> routes, ApiRoutes... more) {
    List<ApiRoutes> all = new ArrayList<>(routes);
    all.addAll(List.of(more));
    return all;
  }

  public int agentPort() {
    return rpc.port();
  }

  public int httpPort() {
    return api.port();
  }

  /** The port of the unauthenticated metrics listener, or -1 when {@code metrics-bind} is off. */
  public int metricsPort() {
    return metricsServer == null ? -1 : metricsServer.port();
  }

  /** This master's id in the cluster ({@code <data-dir>/master-id}). */
  public String masterId() {
    return masterId;
  }

  public AgentRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        log.warn("error while stopping {}", c.getClass().getSimpleName(), e);
      }
    }
    closeables.clear();
  }
}
