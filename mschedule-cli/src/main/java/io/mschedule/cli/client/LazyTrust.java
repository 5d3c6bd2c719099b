package io.mschedule.cli.client;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JDK's default trust (its CA certificates, or {@code javax.net.ssl.trustStore}), read on the
 * first TLS handshake rather than when the HTTP client is built: a command against an {@code
 * http://} master does not pay for parsing the CA certificates.
 */
final class LazyTrust extends X509ExtendedTrustManager {
  private volatile X509ExtendedTrustManager delegate;

  private LazyTrust() {}

  /** A TLS context with no client certificate that trusts what the JDK trusts by default. */
  static SSLContext context() {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {new LazyTrust()}, null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no TLS in this JVM: " + e.getMessage(), e);
    }
  }

  private X509ExtendedTrustManager delegate() throws CertificateException {
    X509ExtendedTrustManager d = delegate;
    if (d == null) {
      try {
        TrustManagerFactory f =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        f.init((KeyStore) null);
        for (TrustManager tm : f.getTrustManagers()) {
          if (tm instanceof X509ExtendedTrustManager x) {
            delegate = x;
            return x;
          }
        }
      } catch (GeneralSecurityException e) {
        throw new CertificateException("cannot read the trust store: " + e.getMessage(), e);
      }
      throw new CertificateException("no X.509 trust manager in this JVM");
    }
    return d;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    delegate().checkServerTrusted(chain, authType, engine);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    delegate().checkServerTrusted(chain, authType, socket);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    delegate().checkServerTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    delegate().checkClientTrusted(chain, authType, engine);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    delegate().checkClientTrusted(chain, authType, socket);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    delegate().checkClientTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    try {
      return delegate().getAcceptedIssuers();
    } catch (CertificateException e) {
      return new X509Certificate[0];
    }
  }
}
