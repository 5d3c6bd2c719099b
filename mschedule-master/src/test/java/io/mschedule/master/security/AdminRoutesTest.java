package io.mschedule.master.security;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.mschedule.master.MasterServer;
import io.mschedule.master.config.MasterConfig;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Health check, target preview, agent removal and the last admin token, on a real master. */
class AdminRoutesTest {
  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private TestMaster master(Map<String, String> settings) {
    TestMaster m = new TestMaster(dir, settings);
    open.add(m);
    return m;
  }

  @Test
  void healthzAnswersWithoutAToken() {
    TestMaster m = master(Map.of());
    TestMaster.Response r = m.get("/healthz", null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.text()).isEqualTo("{\"status\":\"ok\"}");
  }

  @Test
  void aViewerMayPreviewTargetsAndLearnsWhatWouldFail() throws Exception {
    TestMaster m = master(Map.of());
    String viewer = m.createToken("viewer", "watcher").get("token").asText();

    assertThat(m.post("/api/v1/targets/preview", null, Map.of("targets", List.of("all"))).status())
        .isEqualTo(401);
    TestMaster.Response r =
        m.post("/api/v1/targets/preview", viewer, Map.of("targets", List.of("web*:!web-03")));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body().get("agents")).isEmpty();
    assertThat(r.body().get("pending").asInt()).isZero();
    assertThat(r.body().get("errors").get(0).asText())
        .isEqualTo("targets: 'web*:!web-03' matches no online agent");

    TestMaster.Response bad =
        m.post("/api/v1/targets/preview", viewer, Map.of("targets", List.of("web*::db")));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body().get("field").asText()).isEqualTo("targets");
    assertThat(bad.body().get("error").asText()).contains("has an empty term");
  }

  @Test
  void removingAnAgentIsForAdminsAndAnUnknownOneIs404() throws Exception {
    TestMaster m = master(Map.of());
    String operator = m.createToken("operator", "ops").get("token").asText();
    HttpRequest.Builder delete =
        HttpRequest.newBuilder(URI.create(m.base + "/api/v1/agents/a1")).DELETE();
    assertThat(m.send(delete, operator).status()).isEqualTo(403);
    TestMaster.Response r =
        m.send(
            HttpRequest.newBuilder(URI.create(m.base + "/api/v1/agents/a1")).DELETE(),
            m.adminToken());
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.body().get("error").asText()).isEqualTo("agent a1 not found");
  }

  @Test
  void theLastAdminTokenCannotBeRevoked() throws Exception {
    TestMaster m = master(Map.of());
    String admin = m.adminToken();
    String firstId = m.get("/api/v1/tokens", admin).body().get(0).get("id").asText();

    TestMaster.Response refused = m.post("/api/v1/tokens/" + firstId + "/revoke", admin, null);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.body().get("error").asText())
        .contains("last valid admin token")
        .contains("mschedule token create --role admin");

    JsonNode second = m.createToken("admin", "second-admin");
    assertThat(m.post("/api/v1/tokens/" + firstId + "/revoke", admin, null).status())
        .isEqualTo(200);
    String secondId = second.get("id").asText();
    assertThat(
            m.post("/api/v1/tokens/" + secondId + "/revoke", second.get("token").asText(), null)
                .status())
        .isEqualTo(409);
  }

  @Test
  void anApiBeyondLoopbackWithoutTlsIsWarnedAbout() {
    Logger server = (Logger) LoggerFactory.getLogger(MasterServer.class);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    server.addAppender(logs);
    ch.qos.logback.classic.Level before = server.getLevel();
    server.setLevel(ch.qos.logback.classic.Level.INFO);
    try {
      master(Map.of(MasterConfig.HTTP_BIND, "0.0.0.0:0")).close();
      assertThat(logs.list)
          .extracting(ILoggingEvent::getFormattedMessage)
          .anySatisfy(
              msg ->
                  assertThat(msg).contains("listens on 0.0.0.0 without TLS").contains("tls-cert"))
          .anySatisfy(msg -> assertThat(msg).containsPattern("--master-key '[^' ]{40}'"));
      logs.list.clear();
      master(Map.of()).close();
      assertThat(logs.list)
          .extracting(ILoggingEvent::getFormattedMessage)
          .noneSatisfy(msg -> assertThat(msg).contains("without TLS"));
    } finally {
      server.setLevel(before);
      server.detachAppender(logs);
    }
  }
}
