package io.mschedule.master.security;

import io.javalin.config.JavalinConfig;
import io.mschedule.master.config.ConfigException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * TLS for the HTTP API from PEM files: a certificate (chain, server certificate first) and its
 * unencrypted private key, PKCS#8 ({@code BEGIN PRIVATE KEY}; RSA, EC or Ed25519) or PKCS#1 RSA
 * ({@code BEGIN RSA PRIVATE KEY}). TLS 1.2 and 1.3 only.
 */
public final class PemTls {
  public static final String CERT_SETTING = "tls-cert";
  public static final String KEY_SETTING = "tls-key";

  private static final Pattern BLOCK =
      Pattern.compile(
          "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----", Pattern.DOTALL);
  private static final byte[] RSA_ALGORITHM_ID =
      HexFormat.of().parseHex("300d06092a864886f70d0101010500");

  private PemTls() {}

  /**
   * Adds an HTTPS connector on {@code host:port} to the API server, in place of plain HTTP.
   *
   * @throws ConfigException naming {@code tls-cert} or {@code tls-key} when a file is unusable
   */
  public static Consumer<JavalinConfig> connector(String host, int port, Path cert, Path key) {
    SslContextFactory.Server ssl = sslContextFactory(cert, key);
    return config ->
        config.jetty.addConnector(
            (server, httpConfig) -> {
              HttpConfiguration https = new HttpConfiguration(httpConfig);
              https.addCustomizer(new SecureRequestCustomizer(false));
              ServerConnector c =
                  new ServerConnector(
                      server,
                      new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()),
                      new HttpConnectionFactory(https));
              c.setHost(host);
              c.setPort(port);
              return c;
            });
  }

  /** A Jetty TLS context holding the certificate chain and key of the PEM files. */
  public static SslContextFactory.Server sslContextFactory(Path certFile, Path keyFile) {
    List<X509Certificate> chain = certificates(certFile);
    PrivateKey key = privateKey(keyFile, chain.get(0).getPublicKey());
    try {
      char[] password = randomPassword();
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("mschedule", key, password, chain.toArray(new X509Certificate[0]));
      SslContextFactory.Server f = new SslContextFactory.Server();
      f.setKeyStore(ks);
      f.setKeyStorePassword(new String(password));
      f.setKeyManagerPassword(new String(password));
      f.setIncludeProtocols("TLSv1.3", "TLSv1.2");
      return f;
    } catch (GeneralSecurityException | IOException e) {
      throw new ConfigException(
          CERT_SETTING + "/" + KEY_SETTING + ": cannot use the certificate and key: " + e);
    }
  }

  /** The certificates of a PEM file, in file order. */
  static List<X509Certificate> certificates(Path file) {
    List<X509Certificate> out = new ArrayList<>();
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      for (Block b : blocks(CERT_SETTING, file)) {
        if (b.type().equals("CERTIFICATE")) {
          out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der())));
        }
      }
    } catch (GeneralSecurityException e) {
      throw new ConfigException(CERT_SETTING + ": not a valid certificate in " + file + ": " + e);
    }
    if (out.isEmpty()) {
      throw new ConfigException(
          CERT_SETTING + ": no '-----BEGIN CERTIFICATE-----' block in " + file);
    }
    return out;
  }

  /** The private key of a PEM file; it must belong to {@code certKey}. */
  static PrivateKey privateKey(Path file, PublicKey certKey) {
    for (Block b : blocks(KEY_SETTING, file)) {
      switch (b.type()) {
        case "PRIVATE KEY" -> {
          return checked(file, pkcs8(file, b.der(), certKey.getAlgorithm()), certKey);
        }
        case "RSA PRIVATE KEY" -> {
          return checked(file, pkcs8(file, wrapPkcs1(b.der()), "RSA"), certKey);
        }
        case "EC PRIVATE KEY" ->
            throw new ConfigException(
                KEY_SETTING
                    + ": "
                    + file
                    + " is a SEC1 EC key; convert it to PKCS#8 with"
                    + " 'openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pkcs8'");
        case "ENCRYPTED PRIVATE KEY" ->
            throw new ConfigException(
                KEY_SETTING + ": " + file + " is encrypted; give an unencrypted key (mode 0600)");
        default -> {
          // parameters and other blocks: skip
        }
      }
    }
    throw new ConfigException(KEY_SETTING + ": no '-----BEGIN PRIVATE KEY-----' block in " + file);
  }

  private static PrivateKey pkcs8(Path file, byte[] der, String certAlgorithm) {
    Set<String> algorithms = new LinkedHashSet<>(List.of(certAlgorithm, "RSA", "EC", "Ed25519"));
    for (String alg : algorithms) {
      try {
        return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException | RuntimeException e) {
        // try the next algorithm
      }
    }
    throw new ConfigException(
        KEY_SETTING + ": " + file + " holds no RSA, EC or Ed25519 private key that Java can read");
  }

  /** Refuses a key that does not belong to the certificate: signs and verifies a random text. */
  private static PrivateKey checked(Path file, PrivateKey key, PublicKey certKey) {
    String alg =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          default -> key.getAlgorithm();
        };
    try {
      byte[] probe = new byte[32];
      new SecureRandom().nextBytes(probe);
      Signature s = Signature.getInstance(alg);
      s.initSign(key);
      s.update(probe);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(alg);
      v.initVerify(certKey);
      v.update(probe);
      if (v.verify(sig)) {
        return key;
      }
    } catch (GeneralSecurityException e) {
      // falls through to the error below
    }
    throw new ConfigException(
        KEY_SETTING + ": the key in " + file + " does not belong to the certificate in tls-cert");
  }

  /** PKCS#1 RSAPrivateKey wrapped as PKCS#8 PrivateKeyInfo (version 0, rsaEncryption). */
  static byte[] wrapPkcs1(byte[] pkcs1) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0x02, 0x01, 0x00});
    body.writeBytes(RSA_ALGORITHM_ID);
    body.write(0x04);
    body.writeBytes(derLength(pkcs1.length));
    body.writeBytes(pkcs1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x30);
    out.writeBytes(derLength(body.size()));
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  private static byte[] derLength(int n) {
    if (n < 0x80) {
      return new byte[] {(byte) n};
    }
    int bytes = n < 0x100 ? 1 : n < 0x10000 ? 2 : n < 0x1000000 ? 3 : 4;
    byte[] out = new byte[bytes + 1];
    out[0] = (byte) (0x80 | bytes);
    for (int i = 0; i < bytes; i++) {
      out[bytes - i] = (byte) (n >>> (8 * i));
    }
    return out;
  }

  private record Block(String type, byte[] der) {}

  private static List<Block> blocks(String setting, Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new ConfigException(setting + ": cannot read " + file + ": " + e.getMessage());
    }
    List<Block> out = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      try {
        out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(setting + ": bad base64 in a PEM block of " + file);
      }
    }
    return out;
  }

  private static char[] randomPassword() {
    byte[] b = new byte[16];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b).toCharArray();
  }
}
