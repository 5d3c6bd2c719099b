package io.mschedule.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent whose data directory is a 2 MB tmpfs that a script fills up: every run still ends once,
 * and the agent works normally once there is space again. Needs permission to mount a tmpfs (root);
 * skipped with the reason otherwise.
 */
class DiskFullIT {
  @TempDir Path dir;
  private Cluster c;
  private Path agentDir;
  private boolean mounted;

  @AfterEach
  void down() throws Exception {
    if (c != null) {
      c.close();
    }
    if (mounted) {
      new ProcessBuilder("umount", "-l", agentDir.toString()).inheritIO().start().waitFor();
    }
  }

  private void mountSmallDisk() throws Exception {
    Files.createDirectories(agentDir);
    Process mount =
        new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", agentDir.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(mount.getInputStream().readAllBytes()).trim();
    boolean ok = mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0;
    if (!ok) {
      System.err.println("DiskFullIT skipped: cannot mount a tmpfs here: " + output);
    }
    Assumptions.assumeTrue(ok, "cannot mount a 2 MB tmpfs here: " + output);
    mounted = true;
  }

  private Map<String, Object> task(String script) {
    Map<String, Object> m = new HashMap<>();
    m.put("script", script);
    m.put("targets", List.of("all"));
    return m;
  }

  @Test
  void every_run_ends_once_while_the_disk_is_full_and_after_space_is_back() throws Exception {
    c = Cluster.create(dir, 1);
    agentDir = c.agentDir(1);
    mountSmallDisk();
    c.up(1);
    Path filler = agentDir.resolve("filler");

    // Fills the agent's disk, then prints 3 MB: the result (1 MiB kept) cannot be spooled.
    String fillAndPrint =
        "dd if=/dev/zero of='"
            + filler
            + "' bs=64k 2>/dev/null; echo filled; head -c 3000000 /dev/zero | tr '\\0' a; echo";
    String first = c.submit(task(fillAndPrint));
    JsonNode t1 = c.awaitEnd(first, Duration.ofSeconds(60));
    assertThat(t1.get("runs")).hasSize(1);
    // the agent reports a result it could not keep on disk as failed, with the reason
    assertThat(t1.get("runs").get(0).get("state").asText()).isEqualTo("FAILED_TO_START");
    assertThat(t1.get("runs").get(0).get("error").asText()).startsWith("disk full: ");
    assertThat(t1.get("runs").get(0).get("output").asText()).startsWith("filled\n");

    // Take the pages freed since (the first run's marker) too: now the next task cannot even be
    // marked as started, so it is not run, and it fails, once.
    Path topUp = agentDir.resolve("filler-2");
    try (var out = Files.newOutputStream(topUp)) {
      byte[] block = new byte[4096];
      while (true) {
        out.write(block);
      }
    } catch (java.io.IOException e) {
      assertThat(e).hasMessageContaining("No space left");
    }
    String second = c.submit(task("echo should-not-run"));
    JsonNode t2 = c.awaitEnd(second, Duration.ofSeconds(60));
    assertThat(t2.get("runs")).hasSize(1);
    assertThat(t2.get("runs").get(0).get("state").asText()).isEqualTo("FAILED_TO_START");
    assertThat(t2.get("runs").get(0).get("error").asText()).startsWith("disk full: ");
    assertThat(t2.get("runs").get(0).get("output").asText()).doesNotContain("should-not-run");
    assertThat(c.agent(1).alive()).isTrue();
    assertThat(c.agent(1).log()).contains("disk full: ");

    // Space is back: runs succeed again, and nothing is left over in the agent's data dir.
    Files.delete(filler);
    Files.delete(topUp);
    String third = c.submit(task("echo fine"));
    JsonNode t3 = c.awaitEnd(third, Duration.ofSeconds(60));
    assertThat(t3.get("runs").get(0).get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(t3.get("runs").get(0).get("output").asText()).isEqualTo("fine\n");
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              try (var spool = Files.list(agentDir.resolve("spool"));
                  var running = Files.list(agentDir.resolve("running"))) {
                assertThat(spool).isEmpty();
                assertThat(running).isEmpty();
              }
            });
    for (String id : List.of(first, second, third)) {
      assertThat(c.api.ok("/api/v1/tasks/" + id).get("runs")).hasSize(1);
    }
    assertThat(c.agent(1).alive()).isTrue();
  }
}
