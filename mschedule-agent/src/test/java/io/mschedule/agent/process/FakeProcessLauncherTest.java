package io.mschedule.agent.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mschedule.agent.process.FakeProcessLauncher.Behavior;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FakeProcessLauncherTest {

  private static final Duration LONG = Duration.ofSeconds(30);

  private static LaunchRequest request(String script) {
    return new LaunchRequest(
        "t1", script.getBytes(StandardCharsets.UTF_8), Map.of("K", "v"), Path.of("/work"));
  }

  @Test
  void by_default_a_process_prints_its_script_and_exits_with_0() throws Exception {
    var launcher = new FakeProcessLauncher();
    try (var process = launcher.launch(request("echo hi\n"))) {
      assertThat(new String(process.output().readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo("echo hi\n");
      assertThat(process.waitFor(LONG)).isTrue();
      assertThat(process.exitCode()).isZero();
    }
    assertThat(launcher.launches()).containsExactly(request("echo hi\n"));
  }

  @Test
  void a_launch_failure_throws_with_the_scripted_error() {
    var launcher = FakeProcessLauncher.always(Behavior.failToStart("no interpreter"));
    assertThatThrownBy(() -> launcher.launch(request("x")))
        .isInstanceOf(LaunchException.class)
        .hasMessage("no interpreter");
    assertThat(launcher.processes()).isEmpty();
  }

  @Test
  void a_lasting_process_exits_after_its_duration_with_its_code() throws Exception {
    var launcher = FakeProcessLauncher.always(Behavior.exit(7).lasting(Duration.ofMillis(200)));
    try (var process = launcher.launch(request("x"))) {
      assertThat(process.isAlive()).isTrue();
      assertThatThrownBy(process::exitCode).isInstanceOf(IllegalStateException.class);
      assertThat(process.output().read()).isEqualTo(-1); // blocks until the exit
      assertThat(process.waitFor(LONG)).isTrue();
      assertThat(process.exitCode()).isEqualTo(7);
    }
  }

  @Test
  void terminate_stops_it_with_143_unless_it_ignores_term() throws Exception {
    var launcher = FakeProcessLauncher.always(Behavior.runUntilStopped());
    var process = launcher.launch(request("x"));
    assertThat(process.waitFor(Duration.ofMillis(20))).isFalse();
    process.terminate();
    assertThat(process.waitFor(LONG)).isTrue();
    assertThat(process.exitCode()).isEqualTo(143);

    var stubborn =
        FakeProcessLauncher.always(Behavior.runUntilStopped().ignoringTerm()).launch(request("x"));
    stubborn.terminate();
    assertThat(stubborn.waitFor(Duration.ofMillis(20))).isFalse();
    stubborn.forceKill();
    assertThat(stubborn.waitFor(LONG)).isTrue();
    assertThat(stubborn.exitCode()).isEqualTo(137);
    assertThat(((FakeProcessLauncher.FakeProcess) stubborn).signals())
        .containsExactly("TERM", "KILL");
  }

  @Test
  void close_releases_a_reader_waiting_for_the_end() throws Exception {
    var process = FakeProcessLauncher.always(Behavior.runUntilStopped()).launch(request("x"));
    var reader =
        new Thread(
            () -> {
              try {
                process.output().read();
              } catch (IOException e) {
                // expected
              }
            });
    reader.start();
    process.close();
    reader.join(LONG.toMillis());
    assertThat(reader.isAlive()).isFalse();
  }
}
