package io.mschedule.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's TLS reads the trust store only on the first handshake, and still checks the
 * certificate and the host name: a real HTTPS server on loopback with a self-signed certificate
 * made by keytool.
 */
class LazyTrustTest {
  private static final String PASSWORD = "changeit";

  /** Keystores by subject alternative name, made once for the class (keytool is slow). */
  private static final Map<String, Path> KEYSTORES = new HashMap<>();

  @TempDir static Path dir;
  private HttpsServer server;
  private Path keystore;

  /** An HTTPS server on loopback whose self-signed certificate names {@code san}. */
  private void start(String san) throws Exception {
    keystore = KEYSTORES.get(san);
    if (keystore == null) {
      keystore = dir.resolve("master-" + KEYSTORES.size() + ".p12");
      keytool(keystore, san);
      KEYSTORES.put(san, keystore);
    }
    server = serve(keystore);
  }

  private static void keytool(Path keystore, String san) throws Exception {
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-keystore",
                keystore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD,
                "-alias",
                "master",
                "-keyalg",
                "EC",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "san=" + san,
                "-validity",
                "2")
            .redirectErrorStream(true)
            .start();
    String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).as(out).isZero();
  }

  private static HttpsServer serve(Path keystore) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      ks.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, PASSWORD.toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    HttpsServer server =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(ctx));
    server.createContext(
        "/api/v1/agents",
        ex -> {
          byte[] body = "[]".getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    server.start();
    return server;
  }

  @AfterEach
  void stop() {
    System.clearProperty("javax.net.ssl.trustStore");
    System.clearProperty("javax.net.ssl.trustStorePassword");
    if (server != null) {
      server.stop(0);
    }
  }

  private String url(String host) {
    return "https://" + host + ":" + server.getAddress().getPort();
  }

  @Test
  void trusts_what_the_configured_trust_store_holds() throws Exception {
    start("ip:127.0.0.1");
    // read at the handshake, after the client was built
    MasterClient client = new MasterClient(url("127.0.0.1"), "t", Duration.ofSeconds(10));
    System.setProperty("javax.net.ssl.trustStore", keystore.toString());
    System.setProperty("javax.net.ssl.trustStorePassword", PASSWORD);

    assertThat(client.agents()).isEqualTo(List.of());
  }

  @Test
  void refuses_a_certificate_the_jdk_does_not_trust() throws Exception {
    start("ip:127.0.0.1");
    MasterClient client = new MasterClient(url("127.0.0.1"), "t", Duration.ofSeconds(10));

    assertThatThrownBy(client::agents)
        .isInstanceOf(MasterUnreachableException.class)
        .hasMessageContaining("certification path");
  }

  @Test
  void refuses_a_trusted_certificate_for_another_host_name() throws Exception {
    start("ip:127.0.0.9");
    System.setProperty("javax.net.ssl.trustStore", keystore.toString());
    System.setProperty("javax.net.ssl.trustStorePassword", PASSWORD);
    MasterClient client = new MasterClient(url("127.0.0.1"), "t", Duration.ofSeconds(10));

    assertThatThrownBy(client::agents)
        .isInstanceOf(MasterUnreachableException.class)
        .hasMessageContaining("127.0.0.1");
  }
}
