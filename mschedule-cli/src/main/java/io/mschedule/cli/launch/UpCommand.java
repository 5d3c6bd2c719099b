package io.mschedule.cli.launch;

import io.mschedule.agent.Agent;
import io.mschedule.agent.AgentConfig;
import io.mschedule.cli.CliException;
import io.mschedule.cli.LocalAdminLogin;
import io.mschedule.cli.VersionProvider;
import io.mschedule.cli.client.TokenFile;
import io.mschedule.master.MasterServer;
import io.mschedule.master.config.MasterConfig;
import io.mschedule.protocol.settings.Settings;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mschedule up}: a master and N local agents in one process, on embedded defaults. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description =
        "Start a master and local agents in one process (embedded H2), for trying mschedule.")
public final class UpCommand implements Callable<Integer> {
  static final String DEFAULT_DATA_DIR = "./mschedule-data";
  static final String DEFAULT_AGENT_BIND = "tcp://127.0.0.1:5555";

  /** The environment read for the master's {@code MSCHEDULE_*} settings (tests give their own). */
  Map<String, String> env = System.getenv();

  /** Runs the master and agents until stopped (tests stop it). */
  final ServiceRunner runner = new ServiceRunner();

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Data directory; the master's is DIR/master, agent N's DIR/agent-N (default "
              + DEFAULT_DATA_DIR
              + ").")
  Path dataDir;

  @Option(
      names = "--agents",
      paramLabel = "N",
      defaultValue = "1",
      description = "Local agents to start (default: ${DEFAULT-VALUE}).")
  int agents;

  @Option(
      names = "--http-bind",
      paramLabel = "HOST:PORT",
      description = "HTTP API (default " + MasterConfig.DEFAULT_HTTP_BIND + ").")
  String httpBind;

  @Option(
      names = "--agent-bind",
      paramLabel = "tcp://HOST:PORT",
      description = "Agent port (default " + DEFAULT_AGENT_BIND + ").")
  String agentBind;

  @Override
  public Integer call() {
    if (agents < 0 || agents > 1000) {
      throw new CliException("--agents: expected a number from 0 to 1000, got " + agents);
    }
    Path root = (dataDir == null ? Path.of(DEFAULT_DATA_DIR) : dataDir).toAbsolutePath();
    MasterConfig mc = MasterConfig.from(masterSettings(root));
    LogSetup.toFile(root, "up");
    MasterServer master = StartupFailures.master(mc, () -> MasterServer.start(mc));
    runner.add(master);
    String endpoint = "tcp://127.0.0.1:" + master.agentPort();
    // local agents join with the master's key and a short-lived join token: no manual step
    String joinToken = master.joinTokens().create(java.time.Duration.ofHours(1));
    for (int i = 1; i <= agents; i++) {
      AgentConfig ac =
          AgentConfig.from(
              Map.of(
                  AgentConfig.DATA_DIR,
                  root.resolve("agent-" + i).toString(),
                  AgentConfig.MASTER,
                  endpoint,
                  AgentConfig.LABELS,
                  "local=" + i,
                  AgentConfig.HEARTBEAT,
                  String.valueOf(mc.heartbeat().toSeconds()),
                  AgentConfig.MASTER_KEY,
                  master.publicKey(),
                  AgentConfig.JOIN_TOKEN,
                  joinToken));
      runner.add(AgentStartupFailures.agent(() -> Agent.start(ac, VersionProvider.version())));
    }
    String api = LocalAdminLogin.url(mc.httpHost(), master.httpPort());
    String server = LocalAdminLogin.serverOption(mc.httpHost(), master.httpPort());
    String login =
        LocalAdminLogin.save(mc.dataDir(), mc.httpHost(), master.httpPort(), TokenFile.forUser());
    System.out.printf(
        "%nmschedule is up: master API and web console on %s, agent port %s, %d local agent(s).%n"
            + "Data in %s. Stop with Ctrl-C.%n%s%n%nNext, in another terminal:%n"
            + "  bin/mschedule%s agents%n"
            + "  bin/mschedule%s run -t all -c 'hostname; uptime'%n"
            + "  open %s/ in a browser%n%n",
        api, endpoint, agents, root, login, server, server, api);
    return runner.awaitShutdown();
  }

  /**
   * The master's settings: the flags given, over the environment, over this command's defaults; the
   * data directory is always DIR/master.
   */
  Settings masterSettings(Path root) {
    return Settings.builder(MasterConfig.KEYS)
        .defaults(Map.of(MasterConfig.AGENT_BIND, DEFAULT_AGENT_BIND))
        .environment(env)
        .flag(MasterConfig.HTTP_BIND, "--http-bind", httpBind)
        .flag(MasterConfig.AGENT_BIND, "--agent-bind", agentBind)
        .flag(MasterConfig.DATA_DIR, "--data-dir", root.resolve("master").toString())
        .build();
  }
}
