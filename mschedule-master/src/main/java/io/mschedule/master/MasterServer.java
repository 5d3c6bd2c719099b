package io.mschedule.master;

import io.mschedule.master.agents.AgentRegistry;
import io.mschedule.master.agents.LastSeenFlushLoop;
import io.mschedule.master.agents.LivenessLoop;
import io.mschedule.master.api.ApiServer;
import io.mschedule.master.config.MasterConfig;
import io.mschedule.master.dispatch.AgentLinks;
import io.mschedule.master.dispatch.ResultRecorder;
import io.mschedule.master.dispatch.TaskCoordinator;
import io.mschedule.master.dispatch.TaskService;
import io.mschedule.master.live.TaskEvents;
import io.mschedule.master.rpc.AgentRpcHandler;
import io.mschedule.master.rpc.JoinPolicy;
import io.mschedule.master.security.ApiSecurity;
import io.mschedule.master.store.jdbc.Database;
import io.mschedule.master.store.jdbc.DatabaseConfig;
import io.mschedule.protocol.zerorpc.ServerOptions;
import io.mschedule.protocol.zerorpc.ZeroRpcServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires and runs a master: database, registry, dispatch, agent port and HTTP API. */
public final class MasterServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MasterServer.class);

  private final MasterConfig config;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private ZeroRpcServer rpc;
  private ApiServer api;
  private AgentRegistry registry;

  private MasterServer(MasterConfig config) {
    this.config = config;
  }

  public static MasterServer start(MasterConfig config) {
    MasterServer m = new MasterServer(config);
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
    Clock clock = Clock.systemUTC();
    Database db =
        Database.open(
            new DatabaseConfig(
                config.dbUrl(), config.dbUser(), config.dbPassword(), config.dbPoolSize()));
    closeables.add(db);
    registry = new AgentRegistry(db.agentStore(), clock, config.offlineAfter());
    TaskEvents events = new TaskEvents();
    AgentLinks links = new AgentLinks();
    TaskCoordinator coordinator =
        new TaskCoordinator(db.taskStore(), registry, links, events, clock, config.resultGrace());
    registry.addListener(coordinator);
    ResultRecorder results =
        new ResultRecorder(db.taskStore(), events, coordinator, clock, config.maxOutputBytes());
    TaskService tasks =
        new TaskService(
            db.taskStore(),
            registry,
            coordinator,
            clock,
            config.maxScriptBytes(),
            config.maxTargets());

    LivenessLoop liveness = new LivenessLoop(registry);
    LastSeenFlushLoop flush =
        new LastSeenFlushLoop(registry, db.agentStore(), Duration.ofSeconds(10));
    coordinator.resume();
    coordinator.start();
    liveness.start();
    flush.start();
    closeables.add(0, flush);
    closeables.add(0, liveness);
    closeables.add(0, coordinator);

    AgentRpcHandler handler =
        new AgentRpcHandler(
            registry, links, coordinator, results, events, config.heartbeat(), JoinPolicy.OPEN);
    rpc =
        ZeroRpcServer.start(
            new ServerOptions(config.agentBind())
                .name("mschedule-master")
                .heartbeatInterval(Duration.ofSeconds(5))
                .maxMessageBytes(config.maxMessageBytes()),
            handler);
    closeables.add(0, rpc);
    // API security: tokens and roles, audit log, rate limit, TLS (docs/security.md)
    ApiSecurity security = ApiSecurity.open(db, config, clock);
    api =
        new ApiServer(
                registry,
                db.taskStore(),
                tasks,
                coordinator,
                events,
                security.access(),
                security.audit(),
                security.routes(),
                security.server())
            .start(config.httpHost(), config.httpPort());
    closeables.add(0, api);
    log.info(
        "mschedule master ready: agents on {} (port {}), API on {}://{}:{}",
        config.agentBind(),
        rpc.port(),
        config.tlsCert() == null ? "http" : "https",
        config.httpHost(),
        api.port());
  }

  public int agentPort() {
    return rpc.port();
  }

  public int httpPort() {
    return api.port();
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
