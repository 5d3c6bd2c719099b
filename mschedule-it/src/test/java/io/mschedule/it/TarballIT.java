package io.mschedule.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The release tarball: its layout, its systemd units, and a master and agent run from it. */
class TarballIT {
  private static final Logger log = LoggerFactory.getLogger(TarballIT.class);

  @TempDir Path dir;

  @Test
  void holds_the_launcher_the_jar_sample_configs_units_and_install_guide() throws IOException {
    Tarball t = Tarball.unpack(dir);
    for (String f :
        List.of(
            "bin/mschedule",
            "lib/mschedule.jar",
            "lib/mschedule-agent.jar",
            "conf/master.conf",
            "conf/agent.conf",
            "conf/relay.conf",
            "systemd/mschedule-master.service",
            "systemd/mschedule-agent.service",
            "README-install.md")) {
      assertThat(t.home.resolve(f)).as(f).isRegularFile();
      assertThat(Files.size(t.home.resolve(f))).as(f).isPositive();
    }
    assertThat(t.launcher()).isExecutable();
    try (var top = Files.list(dir)) {
      assertThat(top.toList()).as("one top folder").containsExactly(t.home);
    }
    // both jars carry mschedule's copy of JeroMQ's I/O poller, not JeroMQ's own
    for (String jar : List.of("lib/mschedule.jar", "lib/mschedule-agent.jar")) {
      try (var loader =
          new java.net.URLClassLoader(
              new java.net.URL[] {t.home.resolve(jar).toUri().toURL()},
              ClassLoader.getPlatformClassLoader())) {
        Class<?> poller = Class.forName("zmq.poll.Poller", false, loader);
        assertThat(poller.getField("APPLIES_CHANGED_HANDLES_ONLY")).as(jar).isNotNull();
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(jar + ": " + e, e);
      }
    }
  }

  @Test
  void the_agent_tarball_holds_the_launcher_the_lean_jar_the_agent_config_and_unit()
      throws IOException {
    Tarball t = Tarball.unpackAgent(dir);
    try (var files = Files.walk(t.home)) {
      assertThat(files.filter(Files::isRegularFile).map(f -> t.home.relativize(f).toString()))
          .containsExactlyInAnyOrder(
              "bin/mschedule",
              "lib/mschedule-agent.jar",
              "conf/agent.conf",
              "systemd/mschedule-agent.service",
              "README-install.md");
    }
    assertThat(t.launcher()).isExecutable();
    assertThat(Files.size(t.home.resolve("lib/mschedule-agent.jar")))
        .as("the lean jar is a fraction of the full one")
        .isLessThan(Files.size(Path.of(System.getProperty("mschedule.jar"))) / 2);
    assertCommentedSettings(t.home.resolve("conf/agent.conf"), keys("agent"));

    assertThat(launch(t, t.launcher(), Map.of(), "--version"))
        .contains("mschedule " + Tarball.VERSION);
    ProcessRun.Result client =
        ProcessRun.run(
            List.of(t.launcher().toString(), "agents"),
            Tarball.env(Map.of()),
            t.home,
            Duration.ofSeconds(60));
    assertThat(client.exit()).isEqualTo(1);
    assertThat(client.output()).contains("this install runs only 'mschedule agent'");
  }

  @Test
  void sample_configs_list_every_setting_commented_out() throws IOException {
    Tarball t = Tarball.unpack(dir);
    assertCommentedSettings(t.home.resolve("conf/master.conf"), keys("master"));
    assertCommentedSettings(t.home.resolve("conf/agent.conf"), keys("agent"));
    assertCommentedSettings(t.home.resolve("conf/relay.conf"), keys("relay"));
  }

  @Test
  void systemd_units_pass_systemd_analyze_verify() throws IOException {
    ExternalTools.require(onPath("systemd-analyze"), "systemd-analyze (Debian package systemd)");
    Tarball t = Tarball.unpack(dir);
    Path units = Files.createDirectories(dir.resolve("units"));
    List<String> cmd = new ArrayList<>(List.of("systemd-analyze", "verify"));
    for (String name : List.of("mschedule-master.service", "mschedule-agent.service")) {
      String unit = Files.readString(t.home.resolve("systemd").resolve(name));
      assertThat(unit)
          .contains("Restart=on-failure", "LimitNOFILE=65536", "ExecStart=/opt/mschedule/bin/");
      // verify needs ExecStart's binary to exist: point the copy into the unpacked tarball
      Path copy = units.resolve(name);
      Files.writeString(
          copy,
          unit.replace("/opt/mschedule", t.home.toString())
              .replace("/etc/mschedule", t.home.resolve("conf").toString()));
      cmd.add(copy.toString());
    }
    String master = Files.readString(t.home.resolve("systemd/mschedule-master.service"));
    assertThat(master)
        .contains(
            "User=mschedule",
            "ExecStart=/opt/mschedule/bin/mschedule master --config /etc/mschedule/master.conf");
    String agent = Files.readString(t.home.resolve("systemd/mschedule-agent.service"));
    assertThat(agent)
        .contains(
            "User=root",
            "KillMode=process",
            "ExecStart=/opt/mschedule/bin/mschedule agent --config /etc/mschedule/agent.conf");

    ProcessRun.Result r = ProcessRun.run(cmd, Map.of(), null, Duration.ofSeconds(30));
    log.info("systemd-analyze verify: exit {}, output: {}", r.exit(), r.output());
    assertThat(r.exit()).as(r.output()).isZero();
    // verify exits 0 on settings it ignores, but names the unit file in a warning
    assertThat(r.output()).doesNotContain("mschedule-master.service", "mschedule-agent.service");
  }

  @Test
  void master_and_agent_run_from_the_unpacked_tarball() throws Exception {
    Tarball t = Tarball.unpack(dir);
    int agentPort = Ports.free();
    int httpPort = Ports.free();
    Path masterData = dir.resolve("data/master");
    Path logs = dir.resolve("logs");
    edit(
        t.home.resolve("conf/master.conf"),
        Map.of(
            "data-dir", masterData.toString(),
            "agent-bind", "tcp://127.0.0.1:" + agentPort,
            "http-bind", "127.0.0.1:" + httpPort));
    // the launcher also works through a symlink, as /usr/local/bin/mschedule
    Path link = Files.createDirectories(dir.resolve("usr-local-bin")).resolve("mschedule");
    Files.createSymbolicLink(link, t.launcher());

    Process master =
        t.start(
            link, logs.resolve("master.out"), List.of("master", "--config", "conf/master.conf"));
    Process agent = null;
    Process leanAgent = null;
    try {
      Path tokenFile = masterData.resolve("admin.token");
      await("master's admin token")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> Files.exists(tokenFile) && Files.size(tokenFile) > 0);
      Api api = new Api("http://127.0.0.1:" + httpPort);
      api.token(Files.readString(tokenFile).strip());
      await("master API up")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptions()
          .until(() -> api.get("/api/v1/agents").status() == 200);

      String joinToken =
          Cluster.lastLine(
              launch(
                  t,
                  link,
                  Map.of(),
                  "master",
                  "token",
                  "create",
                  "--ttl",
                  "1h",
                  "--data-dir",
                  masterData.toString()));
      edit(
          t.home.resolve("conf/agent.conf"),
          Map.of(
              "data-dir",
              dir.resolve("data/agent").toString(),
              "master",
              "tcp://127.0.0.1:" + agentPort,
              "master-key",
              masterData.resolve("master.pub").toString(),
              "join-token",
              joinToken,
              "labels",
              "role=tarball"));
      agent =
          t.start(link, logs.resolve("agent.out"), List.of("agent", "--config", "conf/agent.conf"));
      // the agent-only tarball, unpacked elsewhere, with its own copy of the settings
      Tarball lean = Tarball.unpackAgent(Files.createDirectories(dir.resolve("agent-only")));
      Files.writeString(
          lean.home.resolve("conf/agent.conf"),
          Files.readString(t.home.resolve("conf/agent.conf"))
              .replace(dir.resolve("data/agent").toString(), dir.resolve("data/lean").toString())
              .replace("role=tarball", "role=agent-tarball"));
      leanAgent =
          lean.start(
              lean.launcher(),
              logs.resolve("lean-agent.out"),
              List.of("agent", "--config", "conf/agent.conf"));
      await("agents online")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> api.ok("/api/v1/agents").size() == 2);
      // both run the lean jar with the launcher's agent JVM options
      for (Process p : List.of(agent, leanAgent)) {
        String args = String.join(" ", p.info().arguments().orElse(new String[0]));
        assertThat(args).contains("lib/mschedule-agent.jar", "-Xms8m", "-Xss256k");
      }

      String out =
          launch(
              t,
              link,
              Map.of(
                  "MSCHEDULE_SERVER", api.base(),
                  "MSCHEDULE_TOKEN", Files.readString(tokenFile).strip()),
              "run",
              "-t",
              "role=tarball",
              "-c",
              "echo hello-from-the-tarball");
      assertThat(out).contains("| SUCCESS | rc=0", "hello-from-the-tarball");
      String leanOut =
          launch(
              t,
              link,
              Map.of(
                  "MSCHEDULE_SERVER", api.base(),
                  "MSCHEDULE_TOKEN", Files.readString(tokenFile).strip()),
              "run",
              "-t",
              "role=agent-tarball",
              "-c",
              "echo hello-from-the-agent-tarball");
      assertThat(leanOut).contains("| SUCCESS | rc=0", "hello-from-the-agent-tarball");
    } finally {
      stop(leanAgent);
      stop(agent);
      stop(master);
      keepLogs(logs);
    }
  }

  /** Runs {@code launcher ARGS} to completion; it must exit 0. Returns its output. */
  private static String launch(Tarball t, Path launcher, Map<String, String> env, String... args) {
    List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
    cmd.addAll(List.of(args));
    ProcessRun.Result r =
        ProcessRun.run(cmd, Tarball.env(env), t.home.getParent(), Duration.ofSeconds(60));
    assertThat(r.exit()).as("mschedule %s: %s", List.of(args), r.output()).isZero();
    return r.output();
  }

  /** Uncomments {@code # key = default} lines of a sample config and sets their values. */
  private static void edit(Path conf, Map<String, String> values) throws IOException {
    String text = Files.readString(conf);
    for (var e : values.entrySet()) {
      Matcher m = Pattern.compile("(?m)^# " + Pattern.quote(e.getKey()) + " =.*$").matcher(text);
      assertThat(m.find()).as("'# %s =' in %s", e.getKey(), conf).isTrue();
      text = m.replaceFirst(Matcher.quoteReplacement(e.getKey() + " = " + e.getValue()));
    }
    Files.writeString(conf, text);
  }

  private static void assertCommentedSettings(Path conf, List<String> keys) throws IOException {
    String text = Files.readString(conf);
    for (String key : keys) {
      assertThat(text).as("%s in %s", key, conf).containsPattern("(?m)^# " + key + " =");
    }
    assertThat(text).as("no active setting in %s", conf).doesNotContainPattern("(?m)^[a-z]");
  }

  /** The keys of the README's settings table for {@code master}, {@code agent} or {@code relay}. */
  private static List<String> keys(String which) throws IOException {
    Path readme = Path.of(System.getProperty("mschedule.root", "..")).resolve("README.md");
    String text = Files.readString(readme);
    String heading =
        switch (which) {
          case "master" -> "Master";
          case "relay" -> "Relay";
          default -> "Agent";
        };
    int start = text.indexOf("### " + heading);
    assertThat(start).as("settings table of %s in README.md", which).isNotNegative();
    List<String> keys = new ArrayList<>();
    for (String line : text.substring(start).split("\n")) {
      if (line.startsWith("| `")) {
        Matcher m =
            Pattern.compile("`([a-z-]+)`").matcher(line.substring(0, line.indexOf(" |", 2)));
        while (m.find()) {
          keys.add(m.group(1));
        }
      } else if (!keys.isEmpty() && !line.startsWith("|")) {
        break;
      }
    }
    assertThat(keys).as("keys of %s", which).hasSizeGreaterThan(5);
    return keys;
  }

  private static boolean onPath(String tool) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(d, tool))) {
        return true;
      }
    }
    return false;
  }

  private static void stop(Process p) throws InterruptedException {
    if (p != null && p.isAlive()) {
      p.destroy();
      if (!p.waitFor(15, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static void keepLogs(Path logs) {
    try (var files = Files.list(logs)) {
      Path dest = Files.createDirectories(Path.of("target", "it-logs", "tarball"));
      for (Path f : files.toList()) {
        Files.copy(
            f, dest.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      // logs are a convenience
    }
  }
}
