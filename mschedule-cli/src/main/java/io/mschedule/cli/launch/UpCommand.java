package io.mschedule.cli.launch;

import io.mschedule.agent.Agent;
import io.mschedule.agent.AgentConfig;
import io.mschedule.cli.LocalAdminLogin;
import io.mschedule.cli.VersionProvider;
import io.mschedule.cli.client.TokenFile;
import io.mschedule.master.MasterServer;
import io.mschedule.master.config.MasterConfig;
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
  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "./mschedule-data",
      description = "Data directory (default: ${DEFAULT-VALUE}).")
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
      defaultValue = "${env:MSCHEDULE_HTTP_BIND:-127.0.0.1:8080}",
      description = "HTTP API (default: $MSCHEDULE_HTTP_BIND, else 127.0.0.1:8080).")
  String httpBind;

  @Option(
      names = "--agent-bind",
      paramLabel = "tcp://HOST:PORT",
      defaultValue = "${env:MSCHEDULE_AGENT_BIND:-tcp://127.0.0.1:5555}",
      description = "Agent port (default: $MSCHEDULE_AGENT_BIND, else tcp://127.0.0.1:5555).")
  String agentBind;

  @Override
  public Integer call() {
    if (agents < 0 || agents > 1000) {
      throw new IllegalArgumentException("--agents: must be between 0 and 1000, got " + agents);
    }
    Path root = dataDir.toAbsolutePath();
    MasterConfig mc =
        MasterConfig.from(
            Map.of(
                MasterConfig.DATA_DIR, root.resolve("master").toString(),
                MasterConfig.HTTP_BIND, httpBind,
                MasterConfig.AGENT_BIND, agentBind));
    LogSetup.toFile(root, "up");
    ServiceRunner runner = new ServiceRunner();
    MasterServer master = MasterServer.start(mc);
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
                  AgentConfig.MASTER_KEY,
                  master.publicKey(),
                  AgentConfig.JOIN_TOKEN,
                  joinToken));
      runner.add(Agent.start(ac, VersionProvider.version()));
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
}
