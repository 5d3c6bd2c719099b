package io.mschedule.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command example of the user docs, run as written by {@code /bin/sh} against one real
 * cluster: a master and three agents named and labelled as the examples expect ({@code web-01},
 * {@code web-02}, {@code db-01}). Each must exit 0, or the status its block states ({@link
 * DocExamples}); blocks marked {@code <!-- not run: … -->} are skipped. The commands run in doc
 * order, in a directory holding the scripts the examples name ({@code migrate.sh}, {@code
 * backup.sh}), with {@code mschedule} and {@code bin/mschedule} being the fat jar.
 */
class DocsExamplesIT {
  static final List<String> PAGES =
      List.of("README.md", "docs/tasks.md", "docs/jobs.md", "docs/security.md", "docs/console.md");

  @TempDir static Path dir;
  private static Cluster cluster;
  private static Path work;
  private static Map<String, String> env;

  @BeforeAll
  static void startCluster() throws IOException {
    cluster = Cluster.create(dir, 1);
    cluster.startMaster();
    agent(1, "web-01", "role=web", "datacenter=east", "dc=east");
    agent(2, "web-02", "role=web", "dc=test");
    agent(3, "db-01", "role=db", "dc=east");
    cluster.awaitOnline(3, Duration.ofSeconds(60));

    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path mschedule = bin.resolve("mschedule");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> jvm = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    // a class-data archive of the CLI's classes, made by one command against the cluster, makes
    // each of the examples' JVMs start sooner; without it (not made) they start as before
    Path archive = dir.resolve("mschedule-cli.jsa");
    List<String> dump = new ArrayList<>(List.of(java, "-XX:ArchiveClassesAtExit=" + archive));
    dump.addAll(jvm);
    dump.addAll(List.of("-jar", JavaProcess.JAR.toAbsolutePath().toString(), "agents"));
    ProcessRun.run(
        dump,
        Map.of(
            "MSCHEDULE_SERVER",
            "http://127.0.0.1:" + cluster.httpPort,
            "MSCHEDULE_TOKEN",
            cluster.adminToken()),
        null,
        Duration.ofSeconds(90));
    String cds = Files.exists(archive) ? " -XX:SharedArchiveFile='" + archive + "'" : "";
    Files.writeString(
        mschedule,
        "#!/bin/sh\nexec '"
            + java
            + "'"
            + cds
            + " "
            + String.join(" ", jvm)
            + " -jar '"
            + JavaProcess.JAR.toAbsolutePath()
            + "' \"$@\"\n");
    Files.setPosixFilePermissions(mschedule, PosixFilePermissions.fromString("rwx------"));
    work = Files.createDirectories(dir.resolve("work"));
    Files.createDirectories(work.resolve("bin"));
    Files.createSymbolicLink(work.resolve("bin/mschedule"), mschedule);
    Files.writeString(work.resolve("migrate.sh"), "echo migrating on \"$MSCHEDULE_HOSTNAME\"\n");
    Files.writeString(work.resolve("backup.sh"), "echo \"backup mode=${MODE:-incremental}\"\n");

    Path home = Files.createDirectories(dir.resolve("home"));
    env = new HashMap<>();
    env.put("PATH", bin + ":" + System.getenv("PATH"));
    env.put("HOME", home.toString());
    env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
    env.put("MSCHEDULE_SERVER", "http://127.0.0.1:" + cluster.httpPort);
    env.put("MSCHEDULE_TOKEN", cluster.adminToken());
    env.put("MSCHEDULE_DATA_DIR", cluster.masterDir().toString()); // for mschedule master …
    env.put("NO_COLOR", "1");
  }

  private static void agent(int i, String name, String... labels) {
    List<String> extra = new ArrayList<>(List.of("--name", name));
    for (String l : labels) {
      extra.add("--label");
      extra.add(l);
    }
    cluster.startAgent(i, cluster.masterKey(), cluster.joinToken(), extra);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @TestFactory
  Stream<DynamicTest> every_command_example_in_the_docs_runs() {
    Path root = Path.of(System.getProperty("mschedule.root", ".."));
    List<DocExamples.Example> all = new ArrayList<>();
    for (String page : PAGES) {
      all.addAll(DocExamples.of(root, page));
    }
    for (String page : List.of("README.md", "docs/tasks.md", "docs/jobs.md", "docs/security.md")) {
      assertThat(all)
          .as("command examples run from " + page)
          .anyMatch(e -> e.page().equals(page) && e.skipped() == null);
    }
    return all.stream().map(e -> DynamicTest.dynamicTest(e.toString(), () -> run(e)));
  }

  private static void run(DocExamples.Example e) {
    assumeTrue(e.skipped() == null, "not run: " + e.skipped());
    ProcessRun.Result r =
        ProcessRun.run(List.of("/bin/sh", "-c", e.command()), env, work, Duration.ofSeconds(90));
    assertThat(r.exit()).as("%s%n%s", e, r.output()).isEqualTo(e.exit());
  }
}
