package io.mschedule.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mschedule.cli.client.FakeMaster;
import io.mschedule.cli.client.Json;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** --list-hosts, agent names and states, and agent removal, against a fake master. */
class TargetingCommandsTest {
  private final FakeMaster master;
  private final Cli cli = new Cli();

  TargetingCommandsTest() throws IOException {
    master = new FakeMaster();
  }

  @AfterEach
  void stop() {
    master.close();
  }

  private int mschedule(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--server";
    all[args.length + 1] = master.url();
    return cli.run(all);
  }

  @Test
  void listHostsSendsTheTargetsAndPrintsTheNamesWithoutRunning() throws Exception {
    master.json(
        "POST",
        "/api/v1/targets/preview",
        200,
        "{\"agents\":[{\"id\":\"a1\",\"name\":\"web-01\",\"hostname\":\"web-01\","
            + "\"state\":\"online\"},{\"id\":\"a7\",\"name\":\"clone\",\"hostname\":\"clone\","
            + "\"state\":\"online\"},{\"id\":\"a8\",\"name\":\"clone\",\"hostname\":\"clone\","
            + "\"state\":\"online\"}],\"pending\":2,\"errors\":[]}");

    assertThat(mschedule("run", "-t", "web*:&dc=east:!web-03", "-t", "clone", "--list-hosts"))
        .isZero();

    assertThat(cli.out())
        .isEqualTo(
            "  hosts (3):\n"
                + "    web-01\n"
                + "    clone (a7)\n"
                + "    clone (a8)\n"
                + "  not included: 2 agents whose key is pending"
                + " (accept with mschedule keys accept ID)\n");
    FakeMaster.Request sent = master.requests().get(0);
    assertThat(sent.path()).isEqualTo("/api/v1/targets/preview");
    JsonNode body = Json.mapper().readTree(sent.body());
    assertThat(body.get("targets").get(0).asText()).isEqualTo("web*:&dc=east:!web-03");
    assertThat(body.get("targets").get(1).asText()).isEqualTo("clone");
    assertThat(master.requests()).noneMatch(r -> r.path().equals("/api/v1/tasks"));
  }

  @Test
  void listHostsWithoutTargetsAsksForAll() throws Exception {
    master.json(
        "POST",
        "/api/v1/targets/preview",
        200,
        "{\"agents\":[{\"id\":\"a1\",\"hostname\":\"web-01\",\"state\":\"online\"}],"
            + "\"pending\":0,\"errors\":[]}");
    assertThat(mschedule("run", "--list-hosts")).isZero();
    assertThat(cli.out()).isEqualTo("  hosts (1):\n    web-01\n");
    JsonNode body = Json.mapper().readTree(master.requests().get(0).body());
    assertThat(body.get("targets").get(0).asText()).isEqualTo("all");
  }

  @Test
  void listHostsFailsWithTheMastersErrorWhenATargetSelectsNothing() {
    master.json(
        "POST",
        "/api/v1/targets/preview",
        200,
        "{\"agents\":[],\"pending\":3,\"errors\":[\"targets: 'web*' matches only agents whose"
            + " key is pending: 3; accept them with mschedule keys accept ID\"]}");
    assertThat(mschedule("run", "-t", "web*", "--list-hosts")).isEqualTo(1);
    assertThat(cli.err())
        .isEqualTo(
            "mschedule: targets: 'web*' matches only agents whose key is pending: 3; accept them"
                + " with mschedule keys accept ID\n");
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void agentsShowsNamesAndPendingAgentsAsPending() {
    master.json(
        "GET",
        "/api/v1/agents",
        200,
        "[{\"id\":\"a2\",\"name\":\"batch-b\",\"hostname\":\"clone\",\"state\":\"online\","
            + "\"key\":\"accepted\"},"
            + "{\"id\":\"a1\",\"name\":\"batch-a\",\"hostname\":\"clone\",\"state\":\"online\","
            + "\"key\":\"accepted\"},"
            + "{\"id\":\"a3\",\"hostname\":\"new-01\",\"state\":\"online\",\"key\":\"pending\"}]");
    assertThat(mschedule("agents")).isZero();
    String[] lines = cli.out().split("\n");
    assertThat(lines[0]).startsWith("ID  NAME     HOSTNAME  IP  LABELS  STATE");
    assertThat(lines[1]).startsWith("a1  batch-a  clone").contains("online");
    assertThat(lines[2]).startsWith("a2  batch-b  clone").contains("online");
    assertThat(lines[3])
        .startsWith("a3  new-01   new-01")
        .contains("pending")
        .doesNotContain("online");
  }

  @Test
  void runOutputNamesHostsByTheirName() {
    assertThat(
            HostNames.PLAIN.of(
                new io.mschedule.cli.client.Run(
                    "a1",
                    "clone",
                    io.mschedule.cli.client.RunState.SUCCEEDED,
                    0,
                    null,
                    false,
                    null,
                    null,
                    null,
                    "batch-a")))
        .isEqualTo("batch-a");
    assertThat(
            HostNames.PLAIN.of(
                new io.mschedule.cli.client.Run(
                    "a1",
                    "clone",
                    io.mschedule.cli.client.RunState.SUCCEEDED,
                    0,
                    null,
                    false,
                    null,
                    null,
                    null)))
        .isEqualTo("clone");
  }

  @Test
  void agentsRemoveDeletesTheAgent() {
    master.route("DELETE", "/api/v1/agents/a1", ex -> FakeMaster.send(ex, 204, "text/plain", ""));
    assertThat(mschedule("agents", "remove", "a1")).isZero();
    assertThat(cli.out()).isEqualTo("agent a1 removed\n");
    assertThat(master.requests().get(0).method()).isEqualTo("DELETE");

    master.json(
        "DELETE", "/api/v1/agents/zz", 404, "{\"status\":404,\"error\":\"agent zz not found\"}");
    Cli other = new Cli();
    assertThat(other.run("agents", "remove", "zz", "--server", master.url())).isEqualTo(1);
    assertThat(other.err()).isEqualTo("mschedule: HTTP 404: agent zz not found\n");
  }
}
