package io.mschedule.agent.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mschedule.agent.runner.RunManager;
import io.mschedule.agent.session.MasterSession;
import io.mschedule.agent.spool.ResultSpool;

/**
 * The agent's Prometheus metrics (docs/operations.md): runs in flight and queued, results waiting
 * in the spool, reconnects to the master, whether it is registered, and the JVM.
 */
public final class AgentMetrics implements AutoCloseable {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();

  public AgentMetrics(RunManager runs, ResultSpool spool, MasterSession session) {
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    Gauge.builder("mschedule.agent.runs.in.flight", runs, r -> r.running().size())
        .description("Scripts running now")
        .register(registry);
    Gauge.builder("mschedule.agent.runs.queued", runs, r -> r.queued().size())
        .description("Runs received but waiting for a free slot (max-concurrent-runs)")
        .register(registry);
    Gauge.builder("mschedule.agent.spool.results", spool, ResultSpool::size)
        .description("Results saved in the spool, not yet taken by the master")
        .register(registry);
    FunctionCounter.builder("mschedule.agent.reconnects", session, MasterSession::reconnects)
        .description("Times the link to the master was lost or could not be made")
        .register(registry);
    FunctionCounter.builder("mschedule.agent.orders.refused", session, MasterSession::ordersRefused)
        .description(
            "Orders not acted on: unsigned, not signed with the master's order key, or too old")
        .register(registry);
    Gauge.builder("mschedule.agent.connected", session, s -> s.registered() ? 1 : 0)
        .description("1 while registered with the master, else 0")
        .register(registry);
  }

  /** The metrics in the Prometheus text format. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
