package io.mschedule.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A client command starts with only its own command, and no class of the master or the agent. */
class ClientStartTest {

  private static List<String> commands(String... args) {
    return new ArrayList<>(Main.commandLine(args).getSubcommands().keySet());
  }

  @Test
  void a_client_command_gets_only_itself() {
    assertThat(commands("agents")).containsExactly("agents");
    assertThat(commands("--server", "http://m:8080", "run", "-c", "true")).containsExactly("run");
    assertThat(commands("--token=t", "tasks", "--json")).containsExactly("tasks");
    assertThat(commands("--version")).isEmpty();
  }

  @Test
  void server_commands_help_and_unknown_names_get_every_command() {
    for (String[] args :
        List.of(
            new String[] {"master", "key"},
            new String[] {"agent", "--help"},
            new String[] {"up"},
            new String[] {"help", "run"},
            new String[] {"agnets"},
            new String[] {"--help"},
            new String[] {})) {
      assertThat(commands(args)).as(String.join(" ", args)).isEqualTo(Main.ALL);
    }
  }

  @Test
  void every_command_but_the_servers_and_help_is_a_client_command() {
    List<String> clients = new ArrayList<>(Main.ALL);
    clients.removeAll(List.of("master", "agent", "relay", "up", "help"));
    assertThat(Main.CLIENT_COMMANDS).isEqualTo(clients);
  }

  @Test
  void a_client_command_loads_no_master_agent_logging_or_tls_class() throws Exception {
    List<String> cmd =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xlog:class+load=info:stdout",
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName(),
            "agents",
            "--server",
            "http://127.0.0.1:1",
            "--token",
            "t");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(out).contains("io.mschedule.cli.AgentsCommand", "mschedule: ");
    assertThat(out)
        .doesNotContain(
            "io.mschedule.master.",
            "io.mschedule.agent.",
            "io.mschedule.cli.launch.",
            "io.mschedule.cli.RunCommand",
            "ch.qos.logback.",
            "io.javalin.",
            "org.h2.",
            "java.net.http.", // its selector thread holds up the JVM's exit
            "sun.security.ssl."); // no TLS against an http:// master
  }
}
