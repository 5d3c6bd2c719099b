package io.mschedule.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mschedule.cli.client.FakeMaster;
import io.mschedule.cli.client.Json;
import io.mschedule.cli.client.TokenFile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** login, token and audit against a fake master; the token file in a temporary directory. */
class SecurityCommandsTest {
  private static final String TOKEN = "mst_" + "a".repeat(43);
  private static final String NEW_TOKEN = "mst_" + "b".repeat(43);

  @TempDir Path dir;
  private final FakeMaster master;
  private final Cli cli = new Cli();

  SecurityCommandsTest() throws IOException {
    master = new FakeMaster();
  }

  @AfterEach
  void stop() {
    master.close();
  }

  private TokenFile tokenFile() {
    return new TokenFile(dir.resolve("config/mschedule/tokens"));
  }

  /** Points every command's token file at the temporary directory. */
  private int mschedule(String... args) {
    useTokenFile(cli.cl);
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--server";
    all[args.length + 1] = master.url();
    return cli.run(all);
  }

  private void useTokenFile(CommandLine cl) {
    Object c = cl.getCommand();
    if (c instanceof LoginCommand l) {
      l.tokenFile = tokenFile();
    }
    cl.getCommandSpec()
        .mixins()
        .values()
        .forEach(
            m -> {
              if (m.userObject() instanceof ServerOptions so) {
                so.tokenFile = tokenFile();
              }
            });
    cl.getSubcommands().values().forEach(this::useTokenFile);
  }

  private String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    return lines[lines.length - 1];
  }

  @Test
  void tokenCreatePrintsTheTokenOnItsLastLine() throws Exception {
    master.json(
        "POST",
        "/api/v1/tokens",
        201,
        "{\"id\":\"0a1b2c3d4e5f6a7b\",\"name\":\"ci\",\"role\":\"viewer\","
            + "\"created_at\":\"2026-11-27T03:15:30.123Z\",\"created_by\":\"admin\",\"token\":\""
            + NEW_TOKEN
            + "\"}");
    assertThat(mschedule("token", "create", "--role", "viewer", "--name", "ci", "--token", TOKEN))
        .isZero();
    assertThat(lastLine(cli.out())).isEqualTo(NEW_TOKEN);
    assertThat(cli.out()).contains("0a1b2c3d4e5f6a7b").contains("ci").contains("viewer");
    FakeMaster.Request req = master.requests().get(0);
    assertThat(req.header("Authorization")).isEqualTo("Bearer " + TOKEN);
    assertThat(Json.mapper().readTree(req.body()).get("role").asText()).isEqualTo("viewer");
    assertThat(Json.mapper().readTree(req.body()).get("name").asText()).isEqualTo("ci");
  }

  @Test
  void tokenCreateSendsTheTtlInSecondsAndShowsTheExpiry() throws Exception {
    master.json(
        "POST",
        "/api/v1/tokens",
        201,
        "{\"id\":\"0a1b2c3d4e5f6a7b\",\"name\":\"ci\",\"role\":\"viewer\","
            + "\"created_at\":\"2026-11-27T03:15:30.123Z\",\"created_by\":\"admin\","
            + "\"expires_at\":\"2026-12-27T03:15:30.123Z\",\"token\":\""
            + NEW_TOKEN
            + "\"}");
    assertThat(mschedule("token", "create", "--role", "viewer", "--ttl", "30d", "--token", TOKEN))
        .isZero();
    assertThat(lastLine(cli.out())).isEqualTo(NEW_TOKEN);
    assertThat(cli.out()).contains("expires 2026-12-27");
    FakeMaster.Request req = master.requests().get(0);
    assertThat(Json.mapper().readTree(req.body()).get("ttl_seconds").asLong())
        .isEqualTo(30L * 24 * 3600);
  }

  @Test
  void tokenCreateRefusesABadTtlBeforeAsking() {
    for (String bad : new String[] {"0", "soon", "30y", "1.5h", "3651d"}) {
      assertThat(mschedule("token", "create", "--role", "viewer", "--ttl", bad, "--token", TOKEN))
          .as(bad)
          .isEqualTo(1);
      assertThat(cli.err()).contains("--ttl: ");
    }
    assertThat(master.requests()).isEmpty();
  }

  @Test
  void tokenCreateRefusesUnknownRoles() {
    assertThat(mschedule("token", "create", "--role", "root", "--token", TOKEN)).isEqualTo(1);
    assertThat(cli.err()).contains("--role");
    assertThat(master.requests()).isEmpty();
    assertThat(mschedule("token", "create", "--token", TOKEN)).isEqualTo(1);
    assertThat(mschedule("token", "--token", TOKEN)).isEqualTo(1);
  }

  @Test
  void tokenListAndRevoke() {
    master.json(
        "GET",
        "/api/v1/tokens",
        200,
        "[{\"id\":\"t1\",\"name\":\"admin\",\"role\":\"admin\",\"created_at\":\"2026-11-27T03:15:30Z\","
            + "\"created_by\":\"system\",\"revoked_at\":null,\"revoked_by\":null},"
            + "{\"id\":\"t2\",\"name\":\"ci\",\"role\":\"viewer\",\"created_at\":\"2026-11-27T03:16:30Z\","
            + "\"created_by\":\"admin\",\"revoked_at\":\"2026-11-27T04:00:00Z\",\"revoked_by\":\"admin\","
            + "\"last_used\":\"2026-11-27T03:59:00Z\"},"
            + "{\"id\":\"t3\",\"name\":\"month\",\"role\":\"viewer\","
            + "\"created_at\":\"2026-11-27T03:17:30Z\",\"created_by\":\"admin\","
            + "\"expires_at\":\"2099-12-27T03:17:30Z\"},"
            + "{\"id\":\"t4\",\"name\":\"old\",\"role\":\"viewer\","
            + "\"created_at\":\"2026-11-20T03:17:30Z\",\"created_by\":\"admin\","
            + "\"expires_at\":\"2026-11-21T03:17:30Z\"}]");
    assertThat(mschedule("token", "list", "--token", TOKEN)).isZero();
    String[] lines = cli.out().split("\n");
    assertThat(lines[0])
        .startsWith("ID")
        .contains("NAME")
        .contains("ROLE")
        .contains("EXPIRES")
        .contains("LAST USED")
        .contains("REVOKED");
    int expires = lines[0].indexOf("EXPIRES");
    int lastUsed = lines[0].indexOf("LAST USED");
    assertThat(lines[1]).startsWith("t1").contains("admin").endsWith("-");
    assertThat(lines[1].substring(expires)).startsWith("never");
    assertThat(lines[1].substring(lastUsed)).startsWith("never");
    assertThat(lines[2]).startsWith("t2").contains("viewer").contains("by admin");
    assertThat(lines[2].substring(lastUsed)).startsWith("2026-11-27");
    assertThat(lines[3].substring(expires)).startsWith("2099-12-27").doesNotContain("expired");
    assertThat(lines[4]).startsWith("t4").contains("(expired)");

    master.json(
        "POST",
        "/api/v1/tokens/t2/revoke",
        200,
        "{\"id\":\"t2\",\"name\":\"ci\",\"role\":\"viewer\",\"revoked_at\":\"2026-11-27T04:00:00Z\"}");
    Cli other = new Cli();
    useTokenFile(other.cl);
    assertThat(other.run("token", "revoke", "t2", "--token", TOKEN, "--server", master.url()))
        .isZero();
    assertThat(other.out()).contains("revoked token t2 'ci'");
  }

  @Test
  void auditShowsTheLogNewestFirst() throws Exception {
    master.json(
        "GET",
        "/api/v1/audit",
        200,
        "[{\"id\":2,\"at\":\"2026-11-27T03:16:00Z\",\"actor\":\"ops\",\"action\":\"task.kill\","
            + "\"target\":\"task-1\",\"detail\":null},"
            + "{\"id\":1,\"at\":\"2026-11-27T03:15:00Z\",\"actor\":\"ops\",\"action\":\"task.submit\","
            + "\"target\":\"task-1\",\"detail\":\"script sha256=ab runs=2\"}]");
    assertThat(mschedule("audit", "--limit", "5", "--token", TOKEN)).isZero();
    assertThat(master.requests().get(0).query()).isEqualTo("limit=5");
    String[] lines = cli.out().split("\n");
    assertThat(lines[0]).contains("TIME").contains("ACTOR").contains("ACTION").contains("TARGET");
    assertThat(lines[1]).contains("ops").contains("task.kill").contains("task-1");
    assertThat(lines[2]).contains("task.submit").contains("script sha256=ab runs=2");

    Cli json = new Cli();
    useTokenFile(json.cl);
    assertThat(json.run("audit", "--json", "--token", TOKEN, "--server", master.url())).isZero();
    assertThat(Json.mapper().readTree(json.out()).get(0).get("action").asText())
        .isEqualTo("task.kill");
    assertThat(mschedule("audit", "--limit", "0", "--token", TOKEN)).isEqualTo(1);
  }

  @Test
  void loginChecksTheTokenAndSavesItForLaterCommands() throws Exception {
    master.json("GET", "/api/v1/whoami", 200, "{\"name\":\"ops\",\"role\":\"operator\"}");
    assertThat(mschedule("login", "--token", TOKEN)).isZero();
    assertThat(cli.out()).contains("as ops (operator)");
    Path file = tokenFile().path();
    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.getPosixFilePermissions(file.getParent()))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    assertThat(tokenFile().find(master.url())).hasValue(TOKEN);
    assertThat(tokenFile().find(master.url() + "/")).hasValue(TOKEN);
    assertThat(master.requests().get(0).header("Authorization")).isEqualTo("Bearer " + TOKEN);

    master.json("GET", "/api/v1/agents", 200, "[]");
    Cli later = new Cli();
    useTokenFile(later.cl);
    assertThat(later.run("agents", "--server", master.url())).isZero();
    assertThat(master.requests().get(1).header("Authorization")).isEqualTo("Bearer " + TOKEN);

    // --token wins over the saved one
    Cli explicit = new Cli();
    useTokenFile(explicit.cl);
    assertThat(explicit.run("agents", "--server", master.url(), "--token", NEW_TOKEN)).isZero();
    assertThat(master.requests().get(2).header("Authorization")).isEqualTo("Bearer " + NEW_TOKEN);
  }

  @Test
  void loginReadsTheTokenFromStandardInput() {
    master.json("GET", "/api/v1/whoami", 200, "{\"name\":\"ops\",\"role\":\"viewer\"}");
    LoginCommand login = cli.command("login");
    login.stdin = new ByteArrayInputStream(("\n" + TOKEN + "\n").getBytes(StandardCharsets.UTF_8));
    assertThat(mschedule("login")).isZero();
    assertThat(tokenFile().find(master.url())).hasValue(TOKEN);
  }

  @Test
  void aRefusedLoginSavesNothingAndSaysHow() {
    master.json(
        "GET",
        "/api/v1/whoami",
        401,
        "{\"status\":401,\"error\":\"invalid or revoked API token\"}");
    assertThat(mschedule("login", "--token", TOKEN)).isEqualTo(1);
    assertThat(cli.err())
        .contains("HTTP 401")
        .contains("invalid or revoked")
        .contains("mschedule login");
    assertThat(Files.exists(tokenFile().path())).isFalse();

    LoginCommand login = cli.command("login");
    login.stdin = new ByteArrayInputStream(new byte[0]);
    assertThat(mschedule("login")).isEqualTo(1);
    assertThat(cli.err()).contains("no token given");
  }

  @Test
  void theTokenFileIsKeyedByServerAndKeepsOtherEntries() throws Exception {
    TokenFile f = tokenFile();
    f.save("http://127.0.0.1:8080", "mst_one");
    f.save("HTTPS://Master.example:443/", "mst_two");
    f.save("127.0.0.1:8080", "mst_three");
    assertThat(f.find("http://127.0.0.1:8080/")).hasValue("mst_three");
    assertThat(f.find("https://master.example")).hasValue("mst_two");
    assertThat(f.find("http://127.0.0.1:9090")).isEmpty();
    assertThat(f.find("::bad")).isEmpty();
    List<String> lines = Files.readAllLines(f.path());
    assertThat(lines.stream().filter(l -> !l.startsWith("#")))
        .containsExactly("http://127.0.0.1:8080 mst_three", "https://master.example:443 mst_two");
  }

  @Test
  void upSavesTheAdminTokenForTheLocalUrl() throws Exception {
    Path masterDir = Files.createDirectories(dir.resolve("data/master"));
    Files.writeString(masterDir.resolve("admin.token"), TOKEN + "\n");
    String msg = LocalAdminLogin.save(masterDir, "0.0.0.0", 8080, tokenFile());
    assertThat(msg).contains(tokenFile().path().toString());
    assertThat(tokenFile().find("http://127.0.0.1:8080")).hasValue(TOKEN);
    assertThat(LocalAdminLogin.save(dir.resolve("none"), "127.0.0.1", 8080, tokenFile()))
        .contains("mschedule login");
  }

  @Test
  void upNamesTheServerOptionOnlyForAnotherThanTheDefaultUrl() {
    assertThat(LocalAdminLogin.serverOption("127.0.0.1", 8080)).isEmpty();
    assertThat(LocalAdminLogin.serverOption("0.0.0.0", 8080)).isEmpty();
    assertThat(LocalAdminLogin.serverOption("127.0.0.1", 9090))
        .isEqualTo(" --server http://127.0.0.1:9090");
    assertThat(LocalAdminLogin.serverOption("10.0.0.5", 8080))
        .isEqualTo(" --server http://10.0.0.5:8080");
  }
}
