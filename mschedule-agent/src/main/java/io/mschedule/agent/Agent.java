package io.mschedule.agent;

import io.mschedule.agent.files.FileReceiver;
import io.mschedule.agent.host.AgentIdentity;
import io.mschedule.agent.host.HostFacts;
import io.mschedule.agent.host.HostFactsCache;
import io.mschedule.agent.metrics.AgentMetrics;
import io.mschedule.agent.process.LocalProcessLauncher;
import io.mschedule.agent.process.ProcessLauncher;
import io.mschedule.agent.runner.RunManager;
import io.mschedule.agent.runner.RunnerOptions;
import io.mschedule.agent.session.MasterChunkSource;
import io.mschedule.agent.session.MasterLink;
import io.mschedule.agent.session.MasterSession;
import io.mschedule.agent.spool.ResultSpool;
import io.mschedule.protocol.metrics.MetricsHttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires and runs an agent: identity, host facts, script runner, result spool, master session. */
public final class Agent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Agent.class);

  private final String id;
  private final RunManager runs;
  private final MasterSession session;
  private final AgentMetrics metrics;
  private MetricsHttpServer metricsServer;

  private Agent(AgentConfig config, ProcessLauncher launcher, String version, Clock clock) {
    this.id = AgentIdentity.loadOrCreate(config.dataDir());
    HostFactsCache facts = new HostFactsCache(clock, config.factsRefresh(), HostFacts::read);
    MasterLink link = new MasterLink();
    this.runs =
        new RunManager(
            launcher,
            RunnerOptions.defaults()
                .withMaxOutputBytes(config.maxOutputBytes())
                .withKillGrace(config.killGrace())
                .withMaxConcurrentRuns(config.maxConcurrentRuns()),
            clock,
            new FileReceiver(
                new MasterChunkSource(link, id, config.callTimeout()), config.callTimeout()));
    ResultSpool spool;
    try {
      spool = new ResultSpool(config.dataDir().resolve("spool"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the result spool in " + config.dataDir(), e);
    }
    this.session = new MasterSession(config, id, version, facts, runs, spool, clock, link);
    this.metrics = new AgentMetrics(runs, spool, session);
  }

  /** Starts an agent that runs scripts with /bin/sh. */
  public static Agent start(AgentConfig config, String version) {
    return start(config, new LocalProcessLauncher(), version);
  }

  public static Agent start(AgentConfig config, ProcessLauncher launcher, String version) {
    return start(config, launcher, version, Clock.systemUTC());
  }

  /** An agent that reads the time from {@code clock} (tests move a clock instead of waiting). */
  public static Agent start(
      AgentConfig config, ProcessLauncher launcher, String version, Clock clock) {
    Agent a = new Agent(config, launcher, version, clock);
    if (config.metricsHost() != null) {
      a.metricsServer =
          MetricsHttpServer.start(config.metricsHost(), config.metricsPort(), a.metrics::scrape);
      log.info("metrics on http://{}:{}/metrics", config.metricsHost(), a.metricsServer.port());
    }
    a.session.start();
    log.info("mschedule agent {} starting, master {}", a.id, config.master());
    return a;
  }

  public String id() {
    return id;
  }

  /** The port of the metrics listener, or -1 when {@code metrics-bind} is off. */
  public int metricsPort() {
    return metricsServer == null ? -1 : metricsServer.port();
  }

  public boolean registered() {
    return session.registered();
  }

  /** Stops taking work, kills running scripts (their results stay in the spool), disconnects. */
  @Override
  public void close() {
    runs.shutdown();
    session.close();
    if (metricsServer != null) {
      metricsServer.close();
    }
    metrics.close();
  }
}
