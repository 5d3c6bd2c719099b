package io.mschedule.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mschedule cp} and {@code run --file} against three agent processes whose heap is capped at
 * 96 MiB (as the master's and the CLI's), with a 112 MiB file: a copy that held the file in memory
 * would run out of heap, so it must stream. The size is {@code -Dfiles.it.mib=N} MiB. The agent
 * port's CURVE encryption, done by JeroMQ in Java, bounds the copies, so this class runs its
 * master, agents and CLI with the JVM's default JIT (C2) rather than the C1-only JVMs of the other
 * tests: 87 to 121 s at 200 MiB on a shared 2-core machine (128 s with C1), 67 s at 112 MiB.
 */
class FilesIT {
  static final long SIZE = Long.getLong("files.it.mib", 112) << 20;

  /** The heap of every JVM of this class, smaller than the file. */
  static final String HEAP = "-Xmx96m";

  @TempDir static Path dir;
  static Cluster c;
  static Path big;
  static String bigSha;

  @BeforeAll
  static void up() throws Exception {
    // the master and agents have a heap smaller than the file and compile with C2 (the tests'
    // default stops at C1): JeroMQ's CURVE encryption, in Java, is what bounds the copy's speed
    c = Cluster.create(dir, 2).jvm(HEAP, "-XX:+UseSerialGC", "-Xss512k").up(3);
    big = dir.resolve("big.bin");
    Random random = new Random(42);
    byte[] block = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(big)) {
      for (long written = 0; written < SIZE; written += block.length) {
        random.nextBytes(block);
        out.write(block);
      }
    }
    bigSha = sha256(big);
  }

  @AfterAll
  static void down() {
    if (c != null) {
      c.close();
    }
  }

  @Test
  void cp_copies_to_every_host_checking_the_hash_then_reports_unchanged() throws Exception {
    List<Path> dests = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      Path d = dir.resolve("host" + i).resolve("big.copy");
      Files.createDirectories(d.getParent());
      dests.add(d);
    }
    // the agents all run on this machine: each gets a destination of its own. The first cp
    // uploads the file; the two others find it on the master and run at the same time.
    CliResult first = cp(1, dests.get(0), "--mode", "0640", "--json");
    assertThat(first.code()).as(first.out()).isZero();
    JsonNode task = new ObjectMapper().readTree(first.out());
    assertThat(task.get("copy").asBoolean()).isTrue();
    JsonNode file = task.get("files").get(0);
    assertThat(file.get("name").asText()).isEqualTo("big.bin");
    assertThat(file.get("size").asLong()).isEqualTo(SIZE);
    assertThat(file.get("sha256").asText()).isEqualTo(bigSha);
    JsonNode run = task.get("runs").get(0);
    assertThat(run.get("copy").asText()).isEqualTo("copied");
    assertThat(run.get("output").asText()).isEqualTo("copied " + dests.get(0) + "\n");

    var second = CompletableFuture.supplyAsync(() -> cp(2, dests.get(1), "--mode", "0640"));
    var third = CompletableFuture.supplyAsync(() -> cp(3, dests.get(2), "--mode", "0640"));
    for (CliResult r : List.of(second.get(), third.get())) {
      assertThat(r.code()).as(r.out()).isZero();
      assertThat(r.out()).contains("copied ").doesNotContain("uploading");
    }
    for (Path d : dests) {
      assertThat(sha256(d)).isEqualTo(bigSha);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d)))
          .isEqualTo("rw-r-----");
      try (var inDir = Files.list(d.getParent())) {
        assertThat(inDir).containsExactly(d); // no temporary file left behind
      }
    }

    CliResult again = cp(1, dests.get(0), "--json");

    assertThat(again.code()).as(again.out()).isZero();
    assertThat(new ObjectMapper().readTree(again.out()).get("runs").get(0).get("copy").asText())
        .isEqualTo("unchanged");
  }

  @Test
  void run_file_puts_the_file_in_every_hosts_working_directory() throws Exception {
    Path tool = dir.resolve("tool.sh");
    Files.writeString(tool, "#!/bin/sh\necho tool ran with $1\n");
    Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));

    CliResult r =
        cli(
            "run",
            "-t",
            "all",
            "-p",
            "0",
            "--file",
            tool.toString(),
            "--file",
            tool + ":copy.sh",
            "--json",
            "-c",
            "./tool.sh x; sha256sum copy.sh");

    assertThat(r.code()).as(r.out()).isZero();
    JsonNode task = new ObjectMapper().readTree(r.out());
    assertThat(task.get("runs")).hasSize(3);
    for (JsonNode run : task.get("runs")) {
      assertThat(run.get("state").asText()).isEqualTo("SUCCEEDED");
      assertThat(run.get("output").asText())
          .contains("tool ran with x")
          .contains(sha256(tool) + "  copy.sh");
    }
    assertThat(task.get("files")).hasSize(2);
  }

  static CliResult cp(int agent, Path dest, String... more) {
    List<String> args = new ArrayList<>(List.of("cp", big.toString(), dest.toString()));
    args.addAll(List.of("-t", c.agentId(agent)));
    args.addAll(List.of(more));
    try {
      return cli(args.toArray(String[]::new));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void cp_to_a_missing_directory_fails_naming_it() throws Exception {
    Path small = dir.resolve("small.txt");
    Files.writeString(small, "hello\n");
    Path dest = dir.resolve("no-such-dir").resolve("small.txt");

    CliResult r = cli("cp", small.toString(), dest.toString(), "-t", c.agentId(2));

    assertThat(r.code()).as(r.out()).isEqualTo(2);
    assertThat(r.out()).contains("failed " + dest).contains("does not exist");
  }

  record CliResult(int code, String out) {}

  static CliResult cli(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // C2 as well: the CLI hashes the whole file (SHA-256 is ten times slower in C1 code)
    cmd.addAll(List.of(HEAP, "-XX:+UseSerialGC"));
    cmd.addAll(List.of("-jar", JavaProcess.JAR.toAbsolutePath().toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("MSCHEDULE_SERVER", "http://127.0.0.1:" + c.httpPort);
    pb.environment().put("MSCHEDULE_TOKEN", c.adminToken());
    pb.environment().put("XDG_CONFIG_HOME", dir.resolve("cli-config").toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(Math.max(120, SIZE >> 20) * 5, TimeUnit.SECONDS)).isTrue();
    return new CliResult(p.exitValue(), out);
  }

  static String sha256(Path file) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
