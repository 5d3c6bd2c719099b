package io.mschedule.cli.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.core.spi.FilterReply;
import io.mschedule.agent.AgentConfig;
import io.mschedule.cli.Cli;
import io.mschedule.cli.StartFailureLogFilter;
import io.mschedule.master.config.MasterConfig;
import io.mschedule.master.security.keys.JoinTokens;
import io.mschedule.protocol.zerorpc.CurveKeys;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * {@code mschedule master}, {@code agent} and {@code up}: where their settings come from, and how
 * they fail to start (one line on stderr, exit status 1, no stack trace on the console).
 */
class ServerCommandsTest {
  @TempDir Path dir;

  private final Cli cli = new Cli();
  private final ListAppender<ILoggingEvent> console = new ListAppender<>();

  @BeforeEach
  void watchTheConsoleLog() {
    console.start();
    root().addAppender(console);
  }

  @AfterEach
  void stopWatching() {
    root().detachAppender(console);
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
  }

  /** What the console log (logback.xml: INFO and up) would show with a stack trace. */
  private List<String> consoleTraces() {
    return console.list.stream()
        .filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO) && e.getThrowableProxy() != null)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  /** Errors the console log shows besides the one line of the command. */
  private List<String> consoleErrors() {
    StartFailureLogFilter filter = new StartFailureLogFilter();
    return console.list.stream()
        .filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
        .filter(e -> filter.decide(e) != FilterReply.DENY)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  private MasterCommand master(Map<String, String> env) {
    MasterCommand m = cli.command("master");
    m.env = env;
    return m;
  }

  private AgentCommand agent(Map<String, String> env) {
    AgentCommand a = cli.command("agent");
    a.env = env;
    return a;
  }

  private Path file(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }

  /** The error output is exactly one line, and the console shows no stack trace. */
  private String oneErrorLine() {
    String err = cli.err();
    assertThat(err.lines()).as(err).hasSize(1);
    assertThat(consoleTraces()).isEmpty();
    assertThat(consoleErrors()).isEmpty();
    return err.strip();
  }

  @Test
  void masterUsesTheDataDirOfItsConfigFile() throws Exception {
    Path data = dir.resolve("from-file");
    Path conf =
        file(
            "master.conf",
            "# test master\ndata-dir = "
                + data
                + "\nhttp-bind = 127.0.0.1:0\nagent-bind = tcp://127.0.0.1:0\n");
    MasterCommand m = master(Map.of());
    CompletableFuture<Integer> run =
        CompletableFuture.supplyAsync(() -> cli.run("master", "--config", conf.toString()));
    try {
      await("the master started in " + data)
          .atMost(Duration.ofSeconds(60))
          .until(() -> Files.exists(data.resolve("admin.token")) || run.isDone());
      assertThat(run.isDone()).as(cli.err()).isFalse();
      assertThat(data.resolve("master.pub")).exists();
      assertThat(data.resolve("master.log")).exists();
      assertThat(data.resolve("db")).isDirectory();
    } finally {
      m.runner.stop();
    }
    assertThat(run.get(30, TimeUnit.SECONDS)).isZero();
    assertThat(dir.resolve("mschedule-data")).doesNotExist();
  }

  @Test
  void masterDataDirFromFlagOverEnvironmentOverFile() throws Exception {
    Path conf = file("master.conf", "data-dir = " + dir.resolve("file") + "\n");
    Map<String, String> env = Map.of("MSCHEDULE_DATA_DIR", dir.resolve("env").toString());

    cli.cl.parseArgs("master", "--config", conf.toString());
    assertThat(MasterConfig.from(master(Map.of()).settings()).dataDir())
        .isEqualTo(dir.resolve("file"));
    assertThat(MasterConfig.from(master(env).settings()).dataDir()).isEqualTo(dir.resolve("env"));

    cli.cl.parseArgs(
        "master", "--config", conf.toString(), "--data-dir", dir.resolve("flag").toString());
    assertThat(MasterConfig.from(master(env).settings()).dataDir()).isEqualTo(dir.resolve("flag"));

    cli.cl.parseArgs("master");
    assertThat(MasterConfig.from(master(Map.of()).settings()).dataDir())
        .isEqualTo(Path.of(MasterConfig.DEFAULT_DATA_DIR).toAbsolutePath());
  }

  @Test
  void masterKeyOrderPrintsTheOrderKeyTheMasterSignsWith() throws Exception {
    Path data = dir.resolve("order");
    assertThat(cli.run("master", "key", "--order", "--data-dir", data.toString()))
        .as(cli.err())
        .isZero();
    String printed = cli.out().strip();
    String[] lines = printed.split("\n");
    assertThat(lines[lines.length - 1])
        .isEqualTo(Files.readString(data.resolve("order.pub")).strip());
    assertThat(java.util.Base64.getDecoder().decode(lines[lines.length - 1])).hasSize(32);
    assertThat(data.resolve("master.pub")).doesNotExist(); // the CURVE pair is another key
  }

  @Test
  void masterKeyAndJoinTokensUseTheDataDirOfTheConfigFile() throws Exception {
    Path data = dir.resolve("from-file");
    Path conf = file("master.conf", "data-dir = " + data + "\n");
    MasterKeyCommand key =
        cli.cl.getSubcommands().get("master").getSubcommands().get("key").getCommand();
    key.dataDir.env = Map.of();
    assertThat(cli.run("master", "key", "--config", conf.toString())).as(cli.err()).isZero();
    assertThat(cli.out().strip()).isEqualTo(Files.readString(data.resolve("master.pub")).strip());

    Cli token = new Cli();
    MasterTokenCommand.Create create =
        token
            .cl
            .getSubcommands()
            .get("master")
            .getSubcommands()
            .get("token")
            .getSubcommands()
            .get("create")
            .getCommand();
    create.dataDir.env = Map.of("MSCHEDULE_DATA_DIR", dir.resolve("env").toString());
    assertThat(token.run("master", "token", "create", "--config", conf.toString())).isZero();
    assertThat(dir.resolve("env").resolve("join-tokens")).exists();
    assertThat(data.resolve("join-tokens")).doesNotExist();
  }

  @Test
  void joinTokensAreCreatedListedAndRevokedInTheDataDir() throws Exception {
    Path data = dir.resolve("data");
    Cli create = new Cli();
    assertThat(
            create.run("master", "token", "create", "--ttl", "2h", "--data-dir", data.toString()))
        .as(create.err())
        .isZero();
    String[] created = create.out().strip().split("\n");
    String value = created[created.length - 1];
    assertThat(value).startsWith("msj_");
    String id = created[0].split(" ")[2];
    assertThat(created[0])
        .isEqualTo("join token " + id + " valid for 2h; give it to agents as --join-token:");
    new Cli().run("master", "token", "create", "--data-dir", data.toString());

    Cli list = new Cli();
    assertThat(list.run("master", "token", "list", "--data-dir", data.toString())).isZero();
    String[] lines = list.out().split("\n");
    assertThat(lines[0]).startsWith("ID").contains("CREATED BY").contains("EXPIRES");
    assertThat(lines).hasSize(3);
    assertThat(lines[1]).startsWith(id).contains("local").doesNotContain("expired");
    assertThat(list.out()).doesNotContain("msj_");

    Cli revoke = new Cli();
    assertThat(
            revoke.run(
                "master", "token", "revoke", id.substring(0, 5), "--data-dir", data.toString()))
        .as(revoke.err())
        .isZero();
    assertThat(revoke.out().strip()).isEqualTo("revoked join token " + id);
    assertThat(new JoinTokens(data, java.time.Clock.systemUTC()).valid(value)).isFalse();
    assertThat(new JoinTokens(data, java.time.Clock.systemUTC()).list()).hasSize(1);

    Cli again = new Cli();
    assertThat(again.run("master", "token", "revoke", id, "--data-dir", data.toString()))
        .isEqualTo(1);
    assertThat(again.err()).contains("no join token " + id).contains("mschedule master token list");
    Cli tooLong = new Cli();
    assertThat(
            tooLong.run(
                "master", "token", "create", "--ttl", "400d", "--data-dir", data.toString()))
        .isEqualTo(1);
    assertThat(tooLong.err()).contains("--ttl: at most 365d");
  }

  @Test
  void agentFlagsOverEnvironmentOverFile() throws Exception {
    String key = CurveKeys.encodeZ85(CurveKeys.generate().publicKey());
    Path conf =
        file(
            "agent.conf",
            "master-key = " + key + "\nlabels = dc=file\ndata-dir = " + dir.resolve("file"));
    Map<String, String> env =
        Map.of("MSCHEDULE_LABELS", "dc=env", "MSCHEDULE_DATA_DIR", dir.resolve("env").toString());

    cli.cl.parseArgs("agent", "--config", conf.toString());
    AgentConfig fromFile = AgentConfig.from(agent(Map.of()).settings());
    assertThat(fromFile.labels()).isEqualTo(Map.of("dc", "file"));
    assertThat(fromFile.dataDir()).isEqualTo(dir.resolve("file"));
    assertThat(AgentConfig.from(agent(env).settings()).labels()).isEqualTo(Map.of("dc", "env"));

    cli.cl.parseArgs("agent", "--config", conf.toString(), "--label", "dc=flag", "--label", "r=w");
    AgentConfig fromFlags = AgentConfig.from(agent(env).settings());
    assertThat(fromFlags.labels()).isEqualTo(Map.of("dc", "flag", "r", "w"));
    assertThat(fromFlags.dataDir()).isEqualTo(dir.resolve("env"));
  }

  @Test
  void upReadsTheMasterSettingsFromTheEnvironmentUnlessFlagged() throws Exception {
    Map<String, String> env =
        Map.of("MSCHEDULE_HTTP_BIND", "127.0.0.1:9999", "MSCHEDULE_DATA_DIR", "/elsewhere");
    cli.cl.parseArgs("up");
    UpCommand up = cli.command("up");
    up.env = env;
    MasterConfig fromEnv = MasterConfig.from(up.masterSettings(dir));
    assertThat(fromEnv.httpPort()).isEqualTo(9999);
    assertThat(fromEnv.agentBind()).isEqualTo(UpCommand.DEFAULT_AGENT_BIND);
    assertThat(fromEnv.dataDir()).isEqualTo(dir.resolve("master"));

    cli.cl.parseArgs("up", "--http-bind", "127.0.0.1:7777");
    assertThat(MasterConfig.from(up.masterSettings(dir)).httpPort()).isEqualTo(7777);
  }

  @Test
  void aBadSettingIsOneLineNamingKeyValueAndSource() throws Exception {
    Path data = dir.resolve("data");
    Path conf = file("master.conf", "data-dir = " + data + "\nheartbeat = 0\n");
    master(Map.of());
    assertThat(cli.run("master", "--config", conf.toString())).isEqualTo(1);
    assertThat(oneErrorLine())
        .isEqualTo(
            "mschedule: heartbeat = '0' (from file "
                + conf
                + " line 2): expected whole seconds from 1 to 3600");
    assertThat(data).doesNotExist();

    Cli flag = new Cli();
    MasterCommand m = flag.command("master");
    m.env = Map.of("MSCHEDULE_HEARTBEAT", "2");
    assertThat(flag.run("master", "--data-dir", data.toString(), "--heartbeat", "soon"))
        .isEqualTo(1);
    assertThat(flag.err().strip())
        .isEqualTo(
            "mschedule: heartbeat = 'soon' (from flag --heartbeat): expected whole seconds from 1"
                + " to 3600");
  }

  @Test
  void anUnknownKeyInTheConfigFileIsOneLineNamingItAndTheFile() throws Exception {
    Path conf = file("master.conf", "data-dir = " + dir + "\nhttp_bind = 127.0.0.1:0\n");
    master(Map.of());
    assertThat(cli.run("master", "--config", conf.toString())).isEqualTo(1);
    assertThat(oneErrorLine())
        .startsWith("mschedule: unknown setting 'http_bind' in file " + conf + " line 2")
        .contains("http-bind");
  }

  @Test
  void aMissingMasterKeyIsOneLineNamingTheFlag() {
    agent(Map.of());
    assertThat(cli.run("agent", "--data-dir", dir.resolve("agent").toString())).isEqualTo(1);
    assertThat(oneErrorLine())
        .startsWith("mschedule: master-key is not set: the master's public key")
        .contains("--master-key");
    assertThat(dir.resolve("agent")).doesNotExist();
  }

  @Test
  void anHttpPortInUseIsOneLineNamingTheSettingAndLeavesNoAdminToken() throws Exception {
    Path data = dir.resolve("data");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String bind = "127.0.0.1:" + taken.getLocalPort();
      master(Map.of());
      int code =
          cli.run(
              "master",
              "--data-dir",
              data.toString(),
              "--http-bind",
              bind,
              "--agent-bind",
              "tcp://127.0.0.1:0");
      assertThat(code).isEqualTo(1);
      assertThat(oneErrorLine())
          .startsWith("mschedule: cannot listen on http-bind " + bind + " (Address already in use)")
          .contains("--http-bind");
    }
    assertThat(data.resolve("admin.token")).doesNotExist();
  }

  @Test
  void anAgentPortInUseIsOneLineNamingTheSettingAndLeavesNoAdminToken() throws Exception {
    Path data = dir.resolve("data");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String bind = "tcp://127.0.0.1:" + taken.getLocalPort();
      master(Map.of("MSCHEDULE_AGENT_BIND", bind));
      int code = cli.run("master", "--data-dir", data.toString(), "--http-bind", "127.0.0.1:0");
      assertThat(code).isEqualTo(1);
      assertThat(oneErrorLine())
          .startsWith(
              "mschedule: cannot listen on agent-bind " + bind + " (Address already in use)")
          .contains("--agent-bind")
          .contains("MSCHEDULE_AGENT_BIND");
    }
    assertThat(data.resolve("admin.token")).doesNotExist();
  }
}
