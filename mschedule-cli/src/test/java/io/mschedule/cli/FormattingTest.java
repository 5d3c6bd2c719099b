package io.mschedule.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mschedule.cli.client.Agent;
import io.mschedule.cli.client.Run;
import io.mschedule.cli.client.RunState;
import io.mschedule.cli.client.Task;
import io.mschedule.cli.client.TaskState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FormattingTest {
  private static final Instant T0 = Instant.parse("2026-11-27T03:15:30.123Z");

  static Run run(String host, RunState state, Integer code, String output) {
    return new Run("id-" + host, host, state, code, output, false, T0, null);
  }

  static Task task(TaskState state, String reason, Map<String, Integer> counts, Run... runs) {
    return new Task(
        "0d4c",
        state,
        reason,
        "hostname\n",
        List.of("role=web", "db*"),
        1,
        0.0,
        -1,
        0,
        T0,
        T0.plusSeconds(12),
        counts,
        List.of(runs));
  }

  @Test
  void tableColumnsAreAlignedWithoutTrailingSpaces() {
    String table =
        new TableFormatter("ID", "NAME", "X")
            .row("1", "a-much-longer-name", "")
            .row("22222", "b", "last")
            .render();
    assertThat(table)
        .isEqualTo(
            "ID     NAME                X\n"
                + "1      a-much-longer-name  -\n"
                + "22222  b                   last\n");
  }

  @Test
  void agentsTable() {
    Agent web =
        new Agent(
            "4f0c",
            "web-01",
            List.of("10.1.2.3", "10.9.9.9"),
            orderedLabels(),
            "online",
            T0.minusSeconds(3),
            T0,
            "0.1.0",
            List.of(),
            "accepted");
    Agent db =
        new Agent(
            "9a9a",
            "db-01",
            List.of(),
            Map.of(),
            "offline",
            T0.minusSeconds(7200),
            T0,
            null,
            null,
            "pending");
    assertThat(AgentsCommand.table(List.of(web, db), T0))
        .isEqualTo(
            "ID    NAME    HOSTNAME  IP                 LABELS           STATE    LAST SEEN\n"
                + "9a9a  db-01   db-01     -                  -                pending  2h ago\n"
                + "4f0c  web-01  web-01    10.1.2.3,10.9.9.9  dc=bj1,role=web  online   3s ago\n");
  }

  @Test
  void agentsOnSeveralMastersShowTheirMaster() {
    Agent a =
        new Agent(
            "a1", "h1", List.of(), Map.of(), "online", T0, T0, null, null, "accepted", null, "m1");
    Agent b =
        new Agent(
            "b2", "h2", List.of(), Map.of(), "online", T0, T0, null, null, "accepted", null, "m2");
    assertThat(AgentsCommand.table(List.of(a, b), T0))
        .startsWith("ID  NAME  HOSTNAME  IP  LABELS  STATE   LAST SEEN  MASTER\n")
        .contains("a1  h1    h1        -   -       online  0s ago     m1\n")
        .contains("b2  h2    h2        -   -       online  0s ago     m2\n");
    assertThat(AgentsCommand.table(List.of(a), T0)).doesNotContain("MASTER");
  }

  @Test
  void agentsBehindRelaysShowTheirDatacenterAndRelay() {
    Agent east =
        new Agent(
            "e1",
            "h1",
            List.of(),
            Map.of(),
            "unreachable",
            T0,
            T0,
            null,
            null,
            "accepted",
            null,
            null,
            "r1",
            "east");
    Agent direct =
        new Agent(
            "d1", "h2", List.of(), Map.of(), "online", T0, T0, null, null, "accepted", null, null);
    assertThat(AgentsCommand.table(List.of(east, direct), T0))
        .startsWith("ID  NAME  HOSTNAME  IP  LABELS  STATE        LAST SEEN  DATACENTER  RELAY\n")
        .contains("e1  h1    h1        -   -       unreachable  0s ago     east        r1\n")
        .contains("d1  h2    h2        -   -       online       0s ago     -           -\n");
    assertThat(AgentsCommand.table(List.of(direct), T0)).doesNotContain("RELAY");
  }

  @Test
  void relaysTable() {
    var relays =
        List.of(
            new io.mschedule.cli.client.RelayView(
                "r1", "east", "tcp://r1:5556", "online", 2000, 0, T0.minusSeconds(2)),
            new io.mschedule.cli.client.RelayView(
                "r2", null, null, "offline", 0, 4096, T0.minusSeconds(120)));
    assertThat(RelaysCommand.table(relays, T0))
        .isEqualTo(
            "ID  DATACENTER  ADDRESS        STATE    AGENTS  SPOOL BYTES  LAST SEEN\n"
                + "r1  east        tcp://r1:5556  online   2000    0            2s ago\n"
                + "r2  -           -              offline  0       4096         2m ago\n");
  }

  @Test
  void clusterTable() {
    var cluster =
        new io.mschedule.cli.client.ClusterView(
            "m1",
            List.of(
                new io.mschedule.cli.client.ClusterView.Master(
                    "m1",
                    "http://a:8080",
                    "tcp://a:5555",
                    "live",
                    12,
                    2,
                    T0.minusSeconds(1),
                    T0,
                    true),
                new io.mschedule.cli.client.ClusterView.Master(
                    "m2",
                    "http://b:8080",
                    "tcp://b:5555",
                    "dead",
                    0,
                    0,
                    T0.minusSeconds(95),
                    T0,
                    false)));
    assertThat(ClusterCommand.table(cluster, T0))
        .isEqualTo(
            "ID    STATE  API            AGENT ENDPOINT  AGENTS  TASKS  LAST HEARTBEAT\n"
                + "m1 *  live   http://a:8080  tcp://a:5555    12      2      1s ago\n"
                + "m2    dead   http://b:8080  tcp://b:5555    0       0      1m ago\n");
  }

  private static Map<String, String> orderedLabels() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("role", "web");
    m.put("dc", "bj1");
    return m;
  }

  @Test
  void tasksTable() {
    Task done = task(TaskState.SUCCEEDED, null, Map.of("SUCCEEDED", 3));
    Task going =
        new Task(
            "77",
            TaskState.RUNNING,
            null,
            "x",
            List.of("all"),
            1,
            0.0,
            -1,
            0,
            T0,
            null,
            Map.of(),
            List.of(
                run("a", RunState.RUNNING, null, null), run("b", RunState.WAITING, null, null)));
    assertThat(TasksCommand.table(List.of(done, going), ZoneOffset.UTC))
        .isEqualTo(
            "ID    STATE      CREATED              FINISHED             RUNS                 TARGETS\n"
                + "0d4c  SUCCEEDED  2026-11-27 03:15:30  2026-11-27 03:15:42  SUCCESS=3            role=web,db*\n"
                + "77    RUNNING    2026-11-27 03:15:30  -                    WAITING=1 RUNNING=1  all\n");
  }

  @Test
  void ansibleStyleBlocks() {
    assertThat(RunPrinter.block(run("web-01", RunState.SUCCEEDED, 0, "web-01\n"), "web-01\n"))
        .isEqualTo("web-01 | SUCCESS | rc=0 >>\nweb-01\n");
    assertThat(RunPrinter.block(run("web-02", RunState.FAILED, 2, null), "no newline"))
        .isEqualTo("web-02 | FAILED | rc=2 >>\nno newline\n");
    assertThat(RunPrinter.block(run("web-03", RunState.TIMED_OUT, 143, null), ""))
        .isEqualTo("web-03 | TIMED_OUT | rc=143 >>\n");
    assertThat(RunPrinter.block(run("web-04", RunState.SKIPPED, null, null), null))
        .isEqualTo("web-04 | SKIPPED\n");
    assertThat(RunPrinter.block(run("web-05", RunState.LOST, null, null), "partial\n"))
        .isEqualTo("web-05 | LOST >>\npartial\n");
    assertThat(RunPrinter.header(run("web-06", RunState.KILLED, -9, null), false))
        .isEqualTo("web-06 | KILLED | rc=-9");
    Run truncated = new Run("a", "web-07", RunState.SUCCEEDED, 0, "abc", true, T0, T0);
    assertThat(RunPrinter.block(truncated, "abc"))
        .isEqualTo("web-07 | SUCCESS | rc=0 >>\nabc\n[output truncated]\n");
    Run noHost = new Run("4f0c", null, RunState.SUCCEEDED, 0, null, false, null, null);
    assertThat(RunPrinter.header(noHost, false)).isEqualTo("4f0c | SUCCESS | rc=0");
  }

  private static Run attempt(Run r, int n) {
    return new Run(
        r.agentId(),
        r.hostname(),
        r.state(),
        r.code(),
        r.output(),
        r.truncated(),
        r.startedAt(),
        r.finishedAt(),
        r.error(),
        r.name(),
        n,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  @Test
  void aRetriedRunShowsItsAttemptAndAFirstAttemptDoesNot() {
    Run retried = attempt(new Run("a", "web-08", RunState.SUCCEEDED, 0, null, false, T0, T0), 3);
    assertThat(RunPrinter.header(retried, false)).isEqualTo("web-08 | SUCCESS | rc=0 | attempt 3");
    Run first = attempt(new Run("a", "web-09", RunState.FAILED, 1, null, false, T0, T0), 1);
    assertThat(RunPrinter.header(first, false)).isEqualTo("web-09 | FAILED | rc=1");
  }

  @Test
  void blockUsesTheRunOutput() {
    StringWriter sw = new StringWriter();
    new RunPrinter(new PrintWriter(sw)).block(run("h", RunState.SUCCEEDED, 0, "hi\n"));
    assertThat(sw.toString()).isEqualTo("h | SUCCESS | rc=0 >>\nhi\n");
  }

  @Test
  void summaryLineHasCountsStateAndReason() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    counts.put("SKIPPED", 2);
    counts.put("FAILED", 1);
    counts.put("SUCCEEDED", 3);
    counts.put("WAITING", 0);
    assertThat(RunPrinter.summaryLine(task(TaskState.ABORTED, "1 failure > fail_count 0", counts)))
        .isEqualTo(
            "task 0d4c ABORTED: SUCCESS=3 FAILED=1 SKIPPED=2 (reason: 1 failure > fail_count 0)");
    assertThat(RunPrinter.summaryLine(task(TaskState.SUCCEEDED, null, Map.of("SUCCEEDED", 1))))
        .isEqualTo("task 0d4c SUCCEEDED: SUCCESS=1");
  }

  @Test
  void countsFallBackToTheRunsAndKeepUnknownStates() {
    Task fromRuns =
        task(
            TaskState.FAILED,
            null,
            Map.of(),
            run("a", RunState.FAILED, 1, null),
            run("b", RunState.SUCCEEDED, 0, null),
            run("c", RunState.SUCCEEDED, 0, null));
    assertThat(Formats.counts(fromRuns)).isEqualTo("SUCCESS=2 FAILED=1");
    Map<String, Integer> counts = new LinkedHashMap<>();
    counts.put("PAUSED", 1);
    counts.put("RUNNING", 2);
    assertThat(Formats.counts(task(TaskState.RUNNING, null, counts)))
        .isEqualTo("RUNNING=2 PAUSED=1");
    assertThat(Formats.counts(task(TaskState.PENDING, null, Map.of()))).isEqualTo("-");
  }

  @Test
  void taskHeader() {
    Task t =
        new Task(
            "0d4c",
            TaskState.ABORTED,
            "too many failures",
            "set -e\nhostname\n",
            List.of("all"),
            2,
            0.5,
            1,
            30,
            T0,
            T0.plusSeconds(12),
            Map.of("FAILED", 2),
            List.of());
    assertThat(RunPrinter.taskHeader(t, ZoneOffset.UTC, true))
        .isEqualTo(
            "task 0d4c: ABORTED (too many failures)\n"
                + "  created:  2026-11-27 03:15:30   finished: 2026-11-27 03:15:42\n"
                + "  targets:  all\n"
                + "  settings: parallel=2 fail_rate=0.5 fail_count=1 timeout=30\n"
                + "  script:   set -e  (+1 line)\n"
                + "  runs:     0 (FAILED=2)\n");
  }

  @Test
  void ages() {
    assertThat(Formats.age(null, T0)).isEqualTo("-");
    assertThat(Formats.age(T0.minusSeconds(59), T0)).isEqualTo("59s ago");
    assertThat(Formats.age(T0.minusSeconds(300), T0)).isEqualTo("5m ago");
    assertThat(Formats.age(T0.minusSeconds(3 * 86400), T0)).isEqualTo("3d ago");
    assertThat(Formats.age(T0.plusSeconds(5), T0)).isEqualTo("0s ago");
  }

  @Test
  void liveOutputPrefixesCompleteLinesPerHost() {
    StringWriter sw = new StringWriter();
    LiveOutput live = new LiveOutput(new PrintWriter(sw), true);
    live.write("a", "web-01", "hel");
    live.write("b", "web-02", "one\ntw");
    live.write("a", "web-01", "lo\nbye");
    live.end("b", "web-02");
    live.end("a", "web-01");
    assertThat(sw.toString())
        .isEqualTo("web-02 | one\nweb-01 | hello\nweb-02 | tw\nweb-01 | bye\n");
  }

  @Test
  void liveOutputOfOneHostPassesThrough() {
    StringWriter sw = new StringWriter();
    LiveOutput live = new LiveOutput(new PrintWriter(sw), false);
    live.write("a", "web-01", "hel");
    live.write("a", "web-01", "lo");
    live.end("a", "web-01");
    assertThat(sw.toString()).isEqualTo("hello\n");
  }

  @Test
  void liveOutputOfHostsRunningOneAfterTheOtherIsMarkedByHost() {
    StringWriter sw = new StringWriter();
    LiveOutput live = new LiveOutput(new PrintWriter(sw), false, true);
    live.write("a", "web-01", "one\n");
    live.write("a", "web-01", "two");
    live.end("a", "web-01");
    live.write("b", "web-02", "three\n");
    live.end("b", "web-02");
    assertThat(sw.toString()).isEqualTo("web-01 >>\none\ntwo\nweb-02 >>\nthree\n");
  }

  @Test
  void theStoredOutputAddsOnlyWhatWasNotShown() {
    assertThat(TaskFollower.unseen("a\nb\nc\n", "a\nb\n")).isEqualTo("c\n");
    assertThat(TaskFollower.unseen("a\n", null)).isEqualTo("a\n");
    assertThat(TaskFollower.unseen("a\n", "a\n")).isEmpty();
    assertThat(TaskFollower.unseen(null, "a\n")).isEmpty();
    // a tail that does not continue what was shown (the live buffer was cut): nothing more
    assertThat(TaskFollower.unseen("head\n", "tail\n")).isEmpty();
  }

  @Test
  void recapNamesTheHostsThatDidNotSucceedByState() {
    Task t =
        task(
            TaskState.FAILED,
            null,
            Map.of(),
            run("web-01", RunState.SUCCEEDED, 0, null),
            run("web-02", RunState.FAILED, 1, null),
            run("web-03", RunState.SKIPPED, null, null),
            run("web-04", RunState.FAILED, 2, null),
            run("web-05", RunState.TIMED_OUT, null, null));
    assertThat(RunPrinter.recap(t, Colors.PLAIN))
        .isEqualTo("FAILED (2): web-02, web-04\nTIMED_OUT (1): web-05\nSKIPPED (1): web-03\n");
    assertThat(
            RunPrinter.recap(
                task(TaskState.SUCCEEDED, null, Map.of(), run("a", RunState.SUCCEEDED, 0, null)),
                Colors.PLAIN))
        .isEmpty();
  }

  @Test
  void agentsSharingAHostnameAreToldApartByTheirId() {
    Run a = new Run("9c2afd8dd471413a", "vm", RunState.FAILED, 1, null, false, T0, null);
    Run b = new Run("ef855ae044cc476f", "vm", RunState.FAILED, 1, null, false, T0, null);
    Run c = new Run("4f0c", "db-01", RunState.LOST, null, null, false, T0, null);
    Run d = new Run("77aa", null, RunState.SKIPPED, null, null, false, T0, null);
    Task t = task(TaskState.FAILED, null, Map.of(), a, b, c, d);
    HostNames names = HostNames.of(t.runs());

    assertThat(names.of(a)).isEqualTo("vm [9c2afd8d]");
    assertThat(names.of(c)).isEqualTo("db-01");
    assertThat(names.of(d)).isEqualTo("77aa");
    assertThat(RunPrinter.header(b, false, Colors.PLAIN, names))
        .isEqualTo("vm [ef855ae0] | FAILED | rc=1");
    assertThat(RunPrinter.recap(t, Colors.PLAIN))
        .isEqualTo(
            "FAILED (2): vm [9c2afd8d], vm [ef855ae0]\nLOST (1): db-01\nSKIPPED (1): 77aa\n");
  }

  @Test
  void recapCountsTheHostsBeyondItsLimit() {
    Run[] runs = new Run[RunPrinter.RECAP_HOSTS + 3];
    for (int i = 0; i < runs.length; i++) {
      runs[i] = run("h" + i, RunState.LOST, null, null);
    }
    String recap = RunPrinter.recap(task(TaskState.FAILED, null, Map.of(), runs), Colors.PLAIN);
    assertThat(recap).startsWith("LOST (53): h0, h1, ").endsWith(", h49, … and 3 more\n");
  }

  @Test
  void statesAreColouredOnlyOnATerminalWithoutNoColor() {
    assertThat(Colors.choose(false, Map.of(), true).enabled()).isTrue();
    assertThat(Colors.choose(true, Map.of(), true).enabled()).isFalse();
    assertThat(Colors.choose(false, Map.of("NO_COLOR", "1"), true).enabled()).isFalse();
    assertThat(Colors.choose(false, Map.of("NO_COLOR", ""), true).enabled()).isTrue();
    assertThat(Colors.choose(false, Map.of(), false).enabled()).isFalse();

    Run failed = run("web-02", RunState.FAILED, 1, null);
    assertThat(RunPrinter.header(failed, false, Colors.ANSI))
        .isEqualTo("web-02 | \u001b[31mFAILED\u001b[0m | rc=1");
    assertThat(RunPrinter.header(run("w", RunState.SUCCEEDED, 0, null), false, Colors.ANSI))
        .contains("\u001b[32mSUCCESS\u001b[0m");
    assertThat(RunPrinter.header(failed, false, Colors.PLAIN)).isEqualTo("web-02 | FAILED | rc=1");
    assertThat(RunPrinter.summaryLine(task(TaskState.KILLED, null, Map.of()), Colors.ANSI))
        .startsWith("task 0d4c \u001b[33mKILLED\u001b[0m:");
  }

  @Test
  void progressLineIsRedrawnInPlaceAndCleared() {
    StringWriter sw = new StringWriter();
    Progress p = Progress.on(new PrintWriter(sw));
    p.show(0, 500, 0);
    p.show(42, 500, 3);
    p.show(42, 500, 3); // unchanged: not redrawn
    p.clear();
    p.clear();
    assertThat(sw.toString())
        .isEqualTo("\r\u001b[K0/500 done, 0 failed\r\u001b[K42/500 done, 3 failed\r\u001b[K");
  }

  @Test
  void jsonIsPrettyWithTheApiNames() {
    Run r = new Run("a1", "web-01", RunState.SUCCEEDED, 0, null, false, T0, null);
    assertThat(JsonOutput.render(List.of(r)))
        .isEqualTo(
            "[\n"
                + "  {\n"
                + "    \"agent_id\": \"a1\",\n"
                + "    \"hostname\": \"web-01\",\n"
                + "    \"state\": \"SUCCEEDED\",\n"
                + "    \"code\": 0,\n"
                + "    \"output\": null,\n"
                + "    \"truncated\": false,\n"
                + "    \"started_at\": \"2026-11-27T03:15:30.123Z\",\n"
                + "    \"finished_at\": null,\n"
                + "    \"error\": null,\n"
                + "    \"name\": null\n"
                + "  }\n"
                + "]");
    assertThat(JsonOutput.render(Map.of())).isEqualTo("{}");
    assertThat(JsonOutput.render(List.of())).isEqualTo("[]");
  }

  @Test
  void stderrIsRedInABlockWhenColoursAreOn() {
    Run r =
        new Run(
            "a1",
            "web-01",
            RunState.SUCCEEDED,
            0,
            "out\nerr\n",
            false,
            T0,
            T0,
            null,
            null,
            2,
            null,
            "out\n",
            "err\n",
            0L,
            List.of(4, 4),
            null);
    assertThat(RunPrinter.shownOutput(r, Colors.ANSI)).isEqualTo("out\n\u001b[31merr\u001b[0m\n");
    assertThat(RunPrinter.shownOutput(r, Colors.PLAIN)).isEqualTo("out\nerr\n");
    assertThat(RunPrinter.header(r, false)).isEqualTo("web-01 | SUCCESS | rc=0 | attempt 2");
  }
}
