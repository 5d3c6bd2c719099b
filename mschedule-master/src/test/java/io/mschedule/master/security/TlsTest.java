package io.mschedule.master.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mschedule.master.config.ConfigException;
import io.mschedule.master.config.MasterConfig;
import io.mschedule.protocol.settings.SettingsException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The API over HTTPS from PEM files, with self-signed pairs made by the JDK's keytool. */
class TlsTest {
  @TempDir Path dir;
  @TempDir static Path keys;
  private static final Map<String, Pair> PAIRS = new java.util.HashMap<>();

  /** One pair per algorithm for the whole class (keytool takes a while). */
  static synchronized Pair pair(String alg) throws Exception {
    Pair p = PAIRS.get(alg);
    if (p == null) {
      p = selfSigned(keys, alg);
      PAIRS.put(alg, p);
    }
    return p;
  }

  /** A self-signed certificate for 127.0.0.1 and localhost, as PEM files. */
  record Pair(Path cert, Path key, Certificate certificate, PrivateKey privateKey) {}

  static Pair selfSigned(Path dir, String alg) throws Exception {
    Path ks = dir.resolve(alg + ".p12");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "t",
                "-keyalg",
                alg,
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                ks.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit"));
    if (alg.equals("RSA")) {
      cmd.addAll(List.of("-keysize", "2048"));
    } else if (alg.equals("EC")) {
      cmd.addAll(List.of("-groupname", "secp256r1"));
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(ks)) {
      store.load(in, "changeit".toCharArray());
    }
    PrivateKey key = (PrivateKey) store.getKey("t", "changeit".toCharArray());
    Certificate cert = store.getCertificate("t");
    Path certPem = dir.resolve(alg + "-cert.pem");
    Path keyPem = dir.resolve(alg + "-key.pem");
    Files.writeString(certPem, pem("CERTIFICATE", cert.getEncoded()));
    Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()));
    return new Pair(certPem, keyPem, cert, key);
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  static HttpClient trusting(Certificate cert) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("master", cert);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
  }

  @ParameterizedTest
  @ValueSource(strings = {"RSA", "EC"})
  void theApiIsServedOverHttpsFromPemFiles(String alg) throws Exception {
    Pair pair = pair(alg);
    Path data = dir.resolve("master-" + alg);
    try (TestMaster m =
        new TestMaster(
            data,
            Map.of(
                MasterConfig.TLS_CERT, pair.cert().toString(),
                MasterConfig.TLS_KEY, pair.key().toString()),
            "https",
            trusting(pair.certificate()))) {
      TestMaster.Response r = m.get("/api/v1/whoami", m.adminToken());
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body().get("role").asText()).isEqualTo("admin");
      assertThat(r.raw().sslSession()).isPresent();
      assertThat(m.get("/api/v1/agents", null).status()).isEqualTo(401);

      // plain HTTP on the same port gets no API answer
      HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      TestMaster.Response viaHttp =
          new TestMasterView(m, "http://127.0.0.1:" + m.server.httpPort(), plain)
              .get("/api/v1/agents");
      assertThat(viaHttp == null || viaHttp.status() != 200).isTrue();
    }
  }

  @Test
  void pkcs1RsaKeysAreAccepted() throws Exception {
    Pair pair = pair("RSA");
    // PKCS#8 = SEQUENCE { INTEGER 0, AlgorithmIdentifier, OCTET STRING { PKCS#1 } }: unwrap it
    byte[] pkcs8 = pair.privateKey().getEncoded();
    byte[] pkcs1 = unwrapPkcs8(pkcs8);
    assertThat(PemTls.wrapPkcs1(pkcs1)).isEqualTo(pkcs8);
    Path rsaPem = dir.resolve("rsa1.pem");
    Files.writeString(rsaPem, pem("RSA PRIVATE KEY", pkcs1));
    assertThat(PemTls.sslContextFactory(pair.cert(), rsaPem)).isNotNull();
  }

  @Test
  void unusableFilesStopTheStartNamingTheSetting() throws Exception {
    Pair rsa = pair("RSA");
    Pair ec = pair("EC");
    assertThatThrownBy(() -> PemTls.sslContextFactory(rsa.cert(), ec.key()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tls-key")
        .hasMessageContaining("does not belong");
    assertThatThrownBy(() -> PemTls.sslContextFactory(rsa.key(), rsa.key()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tls-cert");
    assertThatThrownBy(() -> PemTls.sslContextFactory(rsa.cert(), rsa.cert()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tls-key");
    Path sec1 = dir.resolve("sec1.pem");
    Files.writeString(sec1, pem("EC PRIVATE KEY", new byte[] {1, 2, 3}));
    assertThatThrownBy(() -> PemTls.sslContextFactory(ec.cert(), sec1))
        .hasMessageContaining("openssl pkcs8");
    assertThatThrownBy(
            () -> MasterConfig.from(Map.of(MasterConfig.TLS_CERT, rsa.cert().toString())))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("tls-key");
    assertThatThrownBy(
            () ->
                MasterConfig.from(
                    Map.of(
                        MasterConfig.TLS_CERT,
                        dir.resolve("missing.pem").toString(),
                        MasterConfig.TLS_KEY,
                        rsa.key().toString())))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("tls-cert");
  }

  /** The OCTET STRING inside a PKCS#8 PrivateKeyInfo. */
  private static byte[] unwrapPkcs8(byte[] der) {
    int[] pos = {0};
    readHeader(der, pos); // SEQUENCE
    int len = readHeader(der, pos); // INTEGER version
    pos[0] += len;
    len = readHeader(der, pos); // AlgorithmIdentifier
    pos[0] += len;
    len = readHeader(der, pos); // OCTET STRING
    byte[] out = new byte[len];
    System.arraycopy(der, pos[0], out, 0, len);
    return out;
  }

  private static int readHeader(byte[] der, int[] pos) {
    pos[0]++; // tag
    int b = der[pos[0]++] & 0xff;
    if (b < 0x80) {
      return b;
    }
    int n = 0;
    for (int i = 0; i < (b & 0x7f); i++) {
      n = (n << 8) | (der[pos[0]++] & 0xff);
    }
    return n;
  }

  /** Plain GETs to another base URL; null when the connection fails. */
  private record TestMasterView(TestMaster m, String base, HttpClient http) {
    TestMaster.Response get(String path) {
      try {
        var r =
            http.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + path))
                    .timeout(Duration.ofSeconds(5))
                    .GET()
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        return new TestMaster.Response(r.statusCode(), null, r.body(), r);
      } catch (Exception e) {
        return null;
      }
    }
  }
}
