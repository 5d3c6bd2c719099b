package io.mschedule.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mschedule.cli.client.Parallel;
import io.mschedule.cli.client.TaskRequest;
import io.mschedule.cli.client.TaskState;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CommandParsingTest {

  /** Parses {@code run} arguments and builds the request without contacting any master. */
  private static TaskRequest request(String... args) {
    Cli cli = new Cli();
    cli.cl.parseArgs(prepend("run", args));
    RunCommand run = cli.command("run");
    return run.request();
  }

  private static String[] prepend(String first, String... rest) {
    String[] all = new String[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  @Test
  void parallelAcceptsCountsAndPercentages() {
    assertThat(request("-p", "50%", "-c", "hostname").parallel()).isEqualTo(Parallel.percent(50));
    assertThat(request("-p", "0", "-c", "hostname").parallel()).isEqualTo(Parallel.of(0));
    assertThat(request("--parallel=7", "-c", "hostname").parallel()).isEqualTo(Parallel.of(7));
    assertThat(request("-c", "hostname").parallel()).isNull();
  }

  @Test
  void aJobAndParametersMakeTheRequest() {
    TaskRequest r = request("--job", "backup@3", "-e", "MODE=full", "-e", "EMPTY=", "-t", "db*");
    assertThat(r.job()).isEqualTo("backup@3");
    assertThat(r.script()).isNull();
    assertThat(r.env()).containsEntry("MODE", "full").containsEntry("EMPTY", "").hasSize(2);
    assertThat(r.targets()).containsExactly("db*");
    assertThat(request("-c", "hostname").env()).isNull();
  }

  @Test
  void aJobWithAScriptOrABadParameterIsAUsageError() {
    Cli both = new Cli();
    assertThat(both.run("run", "--job", "backup", "-c", "hostname")).isEqualTo(1);
    assertThat(both.err()).contains("either --job or a script");
    Cli bad = new Cli();
    assertThat(bad.run("run", "-e", "NOVALUE", "-c", "hostname")).isEqualTo(1);
    assertThat(bad.err()).contains("-e expects KEY=VALUE, got 'NOVALUE'");
    Cli twice = new Cli();
    assertThat(twice.run("run", "-e", "A=1", "-e", "A=2", "-c", "hostname")).isEqualTo(1);
    assertThat(twice.err()).contains("-e A is given twice");
    Cli hosts = new Cli();
    assertThat(hosts.run("rerun", "t1", "--hosts", "some")).isEqualTo(1);
    assertThat(hosts.err()).contains("--hosts: expected failed or all, got 'some'");
  }

  @Test
  void badParallelValuesAreUsageErrors() {
    for (String bad : List.of("-1", "0%", "101%", "many", "2.5")) {
      Cli cli = new Cli();
      assertThat(cli.run("run", "-p", bad, "-c", "hostname")).as(bad).isEqualTo(1);
      assertThat(cli.err()).as(bad).contains("--parallel").contains("Try 'mschedule run --help'");
      assertThat(cli.out()).isEmpty();
    }
  }

  @Test
  void optionsMakeTheRequest() {
    TaskRequest r =
        request(
            "-t",
            "role=web",
            "-t",
            "db*",
            "--fail-rate",
            "0.25",
            "--fail-count",
            "2",
            "--timeout",
            "30",
            "-c",
            "uptime");
    assertThat(r.targets()).containsExactly("role=web", "db*");
    assertThat(r.failRate()).isEqualTo(0.25);
    assertThat(r.failCount()).isEqualTo(2);
    assertThat(r.timeout()).isEqualTo(30);
    assertThat(r.script()).isEqualTo("uptime\n");
  }

  @Test
  void timeoutTakesUnitsLikeTtl() {
    assertThat(request("--timeout", "30", "-c", "x").timeout()).isEqualTo(30);
    assertThat(request("--timeout", "30s", "-c", "x").timeout()).isEqualTo(30);
    assertThat(request("--timeout", "5m", "-c", "x").timeout()).isEqualTo(300);
    assertThat(request("--timeout", "1h", "-c", "x").timeout()).isEqualTo(3600);
    assertThat(request("--timeout", "0", "-c", "x").timeout()).isZero();
    assertThat(request("-c", "x").timeout()).isNull();
  }

  @Test
  void retriesAndTheirDelayGoIntoTheRequest() {
    TaskRequest r = request("--retries", "2", "--retry-delay", "1m", "-c", "x");
    assertThat(r.retries()).isEqualTo(2);
    assertThat(r.retryDelay()).isEqualTo(60);
    assertThat(request("-c", "x").retries()).isNull();
    assertThat(request("-c", "x").retryDelay()).isNull();
  }

  @Test
  void badRetrySettingsNameTheOption() {
    Cli negative = new Cli();
    assertThat(negative.run("run", "--retries", "-1", "-c", "x")).isEqualTo(1);
    assertThat(negative.err()).contains("--retries must be 0 or more, got -1");
    Cli tooLong = new Cli();
    assertThat(tooLong.run("run", "--retries", "1", "--retry-delay", "11m", "-c", "x"))
        .isEqualTo(1);
    assertThat(tooLong.err()).contains("--retry-delay must be at most 10m");
  }

  @Test
  void durationsAreParsedOneWay() {
    assertThat(DurationConverter.parse("90")).isEqualTo(Duration.ofSeconds(90));
    assertThat(DurationConverter.parse(" 2D ")).isEqualTo(Duration.ofDays(2));
    for (String bad : List.of("", "-1", "5x", "1.5h", "m", "5 m")) {
      assertThatThrownBy(() -> DurationConverter.parse(bad))
          .as(bad)
          .hasMessageContaining("expected a duration like 30 (seconds), 30s, 5m, 1h or 7d");
    }
  }

  @Test
  void joinTokenTtlUsesTheSameDurations(@TempDir Path dir) {
    Cli zero = new Cli();
    assertThat(zero.run("master", "token", "create", "--ttl", "0", "--data-dir", dir.toString()))
        .isEqualTo(1);
    assertThat(zero.err()).contains("--ttl: must be positive, got '0'");
    Cli bad = new Cli();
    assertThat(bad.run("master", "token", "create", "--ttl", "2w", "--data-dir", dir.toString()))
        .isEqualTo(1);
    assertThat(bad.err()).contains("--ttl: expected a duration like 30 (seconds)");
  }

  @Test
  void badTimeoutNamesTheOptionAndTheForm() {
    Cli cli = new Cli();
    assertThat(cli.run("run", "--timeout", "5x", "-c", "x")).isEqualTo(1);
    assertThat(cli.err())
        .contains("--timeout")
        .contains("expected a duration like 30 (seconds), 30s, 5m, 1h or 7d, got '5x'");
  }

  @Test
  void serverAndTokenWorkBeforeOrAfterTheCommand() {
    Cli before = new Cli();
    before.cl.parseArgs("--server", "http://m1:8080", "--token", "t1", "agents");
    AgentsCommand a = before.command("agents");
    assertThat(a.server.url()).isEqualTo("http://m1:8080");
    assertThat(a.server.token()).isEqualTo("t1");

    Cli after = new Cli();
    after.cl.parseArgs("agents", "--server", "http://m2:8080", "--token", "t2");
    AgentsCommand b = after.command("agents");
    assertThat(b.server.url()).isEqualTo("http://m2:8080");
    assertThat(b.server.token()).isEqualTo("t2");

    Cli both = new Cli();
    both.cl.parseArgs("--server", "http://m1:8080", "agents", "--server", "http://m2:8080");
    AgentsCommand c = both.command("agents");
    assertThat(c.server.url()).isEqualTo("http://m2:8080");
  }

  @Test
  void serverAndTokenFallBackToTheEnvironment() {
    Cli cli = new Cli();
    cli.cl.parseArgs("agents");
    AgentsCommand a = cli.command("agents");
    a.server.env = Map.of("MSCHEDULE_SERVER", "http://env:8080", "MSCHEDULE_TOKEN", "et")::get;
    assertThat(a.server.url()).isEqualTo("http://env:8080");
    assertThat(a.server.token()).isEqualTo("et");
    a.server.env = name -> null;
    assertThat(a.server.url()).isEqualTo("http://127.0.0.1:8080");
    assertThat(a.server.token()).isNull();
  }

  @Test
  void noHelpTextIsCutMidSentence() {
    List<String> problems = new java.util.ArrayList<>();
    helpOf(Main.commandLine(), problems);
    assertThat(problems).isEmpty();
  }

  /**
   * picocli prints each description element as its own paragraph and lists a command by its first
   * element only: every element must be whole sentences, and no help line may pass 80 columns.
   */
  private static void helpOf(CommandLine cl, List<String> problems) {
    CommandLine.Model.CommandSpec spec = cl.getCommandSpec();
    String name = spec.qualifiedName();
    List<String> texts = new java.util.ArrayList<>(List.of(spec.usageMessage().description()));
    spec.options().forEach(o -> texts.addAll(List.of(o.description())));
    spec.positionalParameters().forEach(p -> texts.addAll(List.of(p.description())));
    for (String t : texts) {
      String end = t.strip();
      if (!end.isEmpty() && !end.matches("(?s).*[.:)!?]$") && !t.startsWith("  ")) {
        problems.add(name + ": cut: " + t);
      }
    }
    for (String line : cl.getUsageMessage(CommandLine.Help.Ansi.OFF).split("\n")) {
      if (line.length() > 80) {
        problems.add(name + ": over 80 columns: " + line);
      }
    }
    for (CommandLine sub : cl.getSubcommands().values()) {
      if (sub.getParent() == cl && !sub.getCommandName().equals("help")) {
        helpOf(sub, problems);
      }
    }
  }

  @Test
  void targetsDefaultToAll() {
    assertThat(request("-c", "uptime").targets()).containsExactly("all");
  }

  @Test
  void scriptFromAFile(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("s.sh");
    Files.writeString(f, "#!/bin/bash\necho hi\n");
    TaskRequest r = request(f.toString());
    assertThat(r.script()).isNull();
    assertThat(java.util.Base64.getDecoder().decode(r.scriptB64()))
        .asString()
        .isEqualTo("#!/bin/bash\necho hi\n");
  }

  @Test
  void aFileThatIsNotUtf8IsSentAsItsExactBytes(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("l.sh");
    byte[] latin1 = {'e', 'c', 'h', 'o', ' ', 'c', 'a', 'f', (byte) 0xe9}; // no final newline
    Files.write(f, latin1);
    assertThat(java.util.Base64.getDecoder().decode(request(f.toString()).scriptB64()))
        .isEqualTo(latin1);
  }

  @Test
  void scriptFromStandardInput() {
    Cli cli = new Cli();
    cli.cl.parseArgs("run", "-t", "web-01", "-");
    RunCommand run = cli.command("run");
    run.stdin = new ByteArrayInputStream("df -h /".getBytes(StandardCharsets.UTF_8));
    assertThat(java.util.Base64.getDecoder().decode(run.request().scriptB64()))
        .asString()
        .isEqualTo("df -h /");
  }

  @Test
  void commandAndFileTogetherAreRejected(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("s.sh");
    Files.writeString(f, "echo hi\n");
    for (String[] args :
        List.of(
            new String[] {"run", "-c", "hostname", f.toString()},
            new String[] {"run", "-c", "hostname", "-"})) {
      Cli cli = new Cli();
      assertThat(cli.run(args)).isEqualTo(1);
      assertThat(cli.err()).contains("not both");
    }
  }

  @Test
  void missingScriptIsRejected() {
    Cli cli = new Cli();
    assertThat(cli.run("run", "-t", "all")).isEqualTo(1);
    assertThat(cli.err()).contains("no script");
  }

  @Test
  void emptyScriptIsRejected() {
    Cli cli = new Cli();
    assertThat(cli.run("run", "-c", "  ")).isEqualTo(1);
    assertThat(cli.err()).contains("the script is empty");
  }

  @Test
  void twoFilesAreRejected() {
    Cli cli = new Cli();
    assertThat(cli.run("run", "a.sh", "b.sh")).isEqualTo(1);
    assertThat(cli.err()).contains("b.sh");
  }

  @Test
  void missingFileIsAnError() {
    Cli cli = new Cli();
    assertThat(cli.run("run", "/nonexistent/script.sh")).isEqualTo(1);
    assertThat(cli.err()).contains("no such script file: /nonexistent/script.sh");
  }

  @Test
  void outOfRangeSettingsAreRejected() {
    for (String[] args :
        List.of(
            new String[] {"--fail-rate", "1.5"},
            new String[] {"--fail-rate", "-0.1"},
            new String[] {"--fail-count", "-2"},
            new String[] {"--timeout", "-1"},
            new String[] {"--timeout", "5x"},
            new String[] {"--timeout", "soon"})) {
      Cli cli = new Cli();
      assertThat(cli.run(prepend("run", prepend(args[0], args[1], "-c", "x")))).isEqualTo(1);
      assertThat(cli.err()).contains(args[0]);
    }
  }

  @Test
  void usageErrorsExitWithOneEverywhere() {
    for (String[] args :
        List.of(
            new String[] {},
            new String[] {"nosuchcommand"},
            new String[] {"--bogus"},
            new String[] {"agents", "--bogus"},
            new String[] {"task"},
            new String[] {"kill"},
            new String[] {"tasks", "--limit", "0"},
            new String[] {"tasks", "--limit", "x"},
            new String[] {"tasks", "--since", "yesterday"},
            new String[] {"tasks", "--state", "done"})) {
      Cli cli = new Cli();
      assertThat(cli.run(args)).as(String.join(" ", args)).isEqualTo(1);
      assertThat(cli.err()).as(String.join(" ", args)).isNotEmpty();
    }
  }

  @Test
  void helpAndVersionExitZero() {
    Cli cli = new Cli();
    assertThat(cli.run("--help")).isZero();
    assertThat(cli.out()).contains("Usage: mschedule").contains("run").contains("agents");
    for (String sub : List.of("run", "task", "tasks", "kill", "agents")) {
      Cli c = new Cli();
      assertThat(c.run(sub, "--help")).as(sub).isZero();
      assertThat(c.out()).contains("--server").contains("--token");
      Cli v = new Cli();
      assertThat(v.run(sub, "--version")).isZero();
      assertThat(v.out()).startsWith("mschedule ");
    }
    Cli v = new Cli();
    assertThat(v.run("--version")).isZero();
    assertThat(v.out().strip()).isEqualTo("mschedule dev");
  }

  @Test
  void everyCommandExitsWithOneOnInvalidInput() {
    CommandLine cl = Main.commandLine();
    assertThat(cl.getCommandSpec().exitCodeOnInvalidInput()).isEqualTo(1);
    cl.getSubcommands()
        .values()
        .forEach(sub -> assertThat(sub.getCommandSpec().exitCodeOnInvalidInput()).isEqualTo(1));
  }

  @Test
  void serverDefaultsToTheLocalMaster() {
    Cli cli = new Cli();
    cli.cl.parseArgs("agents");
    AgentsCommand agents = cli.command("agents");
    String env = System.getenv("MSCHEDULE_SERVER");
    assertThat(agents.server.url()).isEqualTo(env != null ? env : "http://127.0.0.1:8080");
  }

  @Test
  void exitCodesFollowTheTaskState() {
    assertThat(ExitCodes.forTask(TaskState.SUCCEEDED)).isZero();
    assertThat(ExitCodes.forTask(TaskState.FAILED)).isEqualTo(2);
    assertThat(ExitCodes.forTask(TaskState.ABORTED)).isEqualTo(3);
    assertThat(ExitCodes.forTask(TaskState.KILLED)).isEqualTo(4);
    assertThat(ExitCodes.forTask(TaskState.RUNNING)).isEqualTo(1);
    assertThat(ExitCodes.forTask(TaskState.UNKNOWN)).isEqualTo(1);
    assertThat(ExitCodes.forTask(null)).isEqualTo(1);
  }
}
