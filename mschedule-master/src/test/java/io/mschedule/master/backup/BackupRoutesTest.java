package io.mschedule.master.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mschedule.master.MasterServer;
import io.mschedule.master.config.MasterConfig;
import io.mschedule.master.security.AdminBootstrap;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /api/v1/backup} on a master in this JVM with its embedded H2 database. */
class BackupRoutesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private MasterServer master;
  private String base;
  private String admin;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void start() throws IOException {
    master =
        MasterServer.start(
            MasterConfig.from(
                Map.of(
                    MasterConfig.DATA_DIR, dir.toString(),
                    MasterConfig.HTTP_BIND, "127.0.0.1:0",
                    MasterConfig.AGENT_BIND, "tcp://127.0.0.1:0")));
    base = "http://127.0.0.1:" + master.httpPort();
    admin = Files.readString(dir.resolve(AdminBootstrap.FILE_NAME)).strip();
  }

  @AfterEach
  void stop() {
    master.close();
  }

  @Test
  void an_admin_gets_a_zip_of_the_database_and_no_copy_stays_behind() throws Exception {
    HttpResponse<byte[]> r = backup(admin);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/zip");
    assertThat(entries(r.body())).containsExactly("mschedule.mv.db");
    try (var files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .noneMatch(n -> n.startsWith("backup-"));
    }
    JsonNode audit = get("/api/v1/audit?limit=5", admin);
    assertThat(audit.get(0).get("action").asText()).isEqualTo("backup.create");
    assertThat(audit.get(0).get("actor").asText()).isEqualTo("admin");
  }

  @Test
  void only_admins_may_back_up() throws Exception {
    assertThat(backup(null).statusCode()).isEqualTo(401);
    String operator = createToken("operator");
    assertThat(backup(operator).statusCode()).isEqualTo(403);
  }

  private HttpResponse<byte[]> backup(String token) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + "/api/v1/backup"))
            .POST(HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private JsonNode get(String path, String token) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private String createToken(String role) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/tokens"))
                .header("Authorization", "Bearer " + admin)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"role\":\"" + role + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return JSON.readTree(r.body()).get("token").asText();
  }

  private static List<String> entries(byte[] zip) throws IOException {
    List<String> names = new ArrayList<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        names.add(e.getName());
      }
    }
    return names;
  }
}
