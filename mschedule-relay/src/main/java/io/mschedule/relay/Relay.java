package io.mschedule.relay;

import io.mschedule.protocol.keys.KeyFiles;
import io.mschedule.protocol.message.RelayMessages;
import io.mschedule.protocol.zerorpc.CurveKeys;
import io.mschedule.protocol.zerorpc.ServerOptions;
import io.mschedule.protocol.zerorpc.ZeroRpcServer;
import io.mschedule.relay.agents.AgentPort;
import io.mschedule.relay.agents.AgentStreams;
import io.mschedule.relay.spool.CallSpool;
import io.mschedule.relay.uplink.MasterUplink;
import io.mschedule.relay.uplink.UplinkListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.msgpack.value.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires and runs a relay: its key pair and id, the session with the master, the agent port. */
public final class Relay implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Relay.class);

  /** The relay's CURVE key pair in its data dir: {@code relay.key}, {@code relay.pub}. */
  public static final String KEY_NAME = "relay";

  /** Channel heartbeats towards agents, as the master's. */
  static final Duration AGENT_CHANNEL_HEARTBEAT = Duration.ofSeconds(5);

  private final String id;
  private final MasterUplink uplink;
  private final ZeroRpcServer server;
  private final ZeroRpcServer plain;
  private final AgentStreams streams;
  private final SpoolDrain drain;
  private final ScheduledExecutorService timer;

  /**
   * How long the master has to answer an agent's heartbeat, output or result before the relay
   * answers it itself (well under an agent's shortest heartbeat timeout, 2 s).
   */
  static final Duration ANSWER_WITHIN = Duration.ofMillis(1000);

  private Relay(
      String id,
      MasterUplink uplink,
      ZeroRpcServer server,
      ZeroRpcServer plain,
      AgentStreams streams,
      SpoolDrain drain,
      ScheduledExecutorService timer) {
    this.drain = drain;
    this.timer = timer;
    this.id = id;
    this.uplink = uplink;
    this.server = server;
    this.plain = plain;
    this.streams = streams;
  }

  /** The relay's public key as Z85 text (creating the pair in {@code dataDir} if needed). */
  public static String publicKey(Path dataDir) {
    return KeyFiles.publicKeyText(dataDir, KEY_NAME);
  }

  public static Relay start(RelayConfig config, String version) {
    CurveKeys.KeyPair keys = KeyFiles.loadOrCreate(config.dataDir(), KEY_NAME);
    String id = RelayIdentity.loadOrCreate(config.dataDir());
    Holder holder = new Holder();
    CallSpool spool = new CallSpool(config.dataDir().resolve("spool"), config.spoolMaxBytes());
    MasterUplink uplink =
        new MasterUplink(
            id,
            config.masters().stream()
                .map(m -> new MasterUplink.Endpoint(m.endpoint(), m.key()))
                .toList(),
            keys,
            () ->
                new RelayMessages.Registration(
                    id, config.datacenter(), config.address(), 0, version, config.joinToken()),
            config.callTimeout(),
            config.maxMessageBytes(),
            spool::bytes,
            holder);
    AgentStreams streams = new AgentStreams(uplink::unlink);
    holder.streams = streams;
    SpoolDrain drain = new SpoolDrain(spool, uplink, config.callTimeout());
    holder.drain = drain;
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "relay-answer-timer");
              t.setDaemon(true);
              return t;
            });
    AgentPort port = new AgentPort(id, uplink, streams, spool, ANSWER_WITHIN, drain::wake, timer);
    holder.port = port;
    ZeroRpcServer server;
    try {
      server =
          ZeroRpcServer.start(
              new ServerOptions(config.agentBind())
                  .name("mschedule-relay")
                  .heartbeatInterval(AGENT_CHANNEL_HEARTBEAT)
                  .maxMessageBytes(config.maxMessageBytes())
                  .curve(keys.publicKey(), keys.secretKey()),
              port);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "cannot listen for agents on " + config.agentBind() + ": " + e.getMessage(), e);
    }
    ZeroRpcServer plain = null;
    if (config.plainAgentBind() != null) {
      try {
        plain =
            ZeroRpcServer.start(
                new ServerOptions(config.plainAgentBind())
                    .name("mschedule-relay-plain")
                    .heartbeatInterval(AGENT_CHANNEL_HEARTBEAT)
                    .maxMessageBytes(config.maxMessageBytes()),
                port);
      } catch (RuntimeException e) {
        server.close();
        throw new IllegalStateException(
            "cannot listen for agents on " + config.plainAgentBind() + ": " + e.getMessage(), e);
      }
      log.warn(
          "compatibility listener {} is NOT encrypted: agents there need a join token on the"
              + " master, and their traffic (scripts, output) can be read and forged on the"
              + " site's network",
          config.plainAgentBind());
    }
    drain.start();
    uplink.start();
    log.info(
        "relay {} serving agents on {} (datacenter {}), master {}",
        id,
        config.agentBind(),
        config.datacenter() == null ? "none" : config.datacenter(),
        config.masters().stream().map(RelayConfig.MasterEndpoint::endpoint).toList());
    return new Relay(id, uplink, server, plain, streams, drain, timer);
  }

  /** Routes the master's items to the agents' streams. */
  private static final class Holder implements UplinkListener {
    volatile AgentStreams streams;
    volatile SpoolDrain drain;
    volatile AgentPort port;

    @Override
    public void onOrder(List<Long> numbers, Value order) {
      for (long number : numbers) {
        streams.deliver(number, order);
      }
    }

    @Override
    public void onUnlink(String agentId, long stream, String error, String message) {
      streams.end(agentId, stream, error, message);
    }

    /**
     * The master's side of every agent's order stream went with the old session: the relay
     * subscribes again for the agents still connected here, and the spool drains.
     */
    @Override
    public void onUp() {
      port.resubscribe();
      drain.wake();
    }

    /** Agents stay connected and keep running: the relay answers for the master meanwhile. */
    @Override
    public void onDown() {
      log.warn("relay lost its master; agents keep running, results wait in the spool");
    }
  }

  public String id() {
    return id;
  }

  public int agentPort() {
    return server.port();
  }

  public boolean isLinked() {
    return uplink.isUp();
  }

  public int agents() {
    return streams.size();
  }

  @Override
  public void close() {
    server.close();
    if (plain != null) {
      plain.close();
    }
    uplink.close();
    drain.close();
    timer.shutdownNow();
  }
}
