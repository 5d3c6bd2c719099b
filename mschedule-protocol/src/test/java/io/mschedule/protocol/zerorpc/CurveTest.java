package io.mschedule.protocol.zerorpc;

import static io.mschedule.protocol.zerorpc.Fixtures.WAIT;
import static io.mschedule.protocol.zerorpc.Fixtures.i;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CurveTest {
  private static final Duration NO_REPLY = Duration.ofMillis(1500);

  private final CurveKeys.KeyPair serverKeys = CurveKeys.generate();
  private final CurveKeys.KeyPair clientKeys = CurveKeys.generate();
  private final AtomicInteger handled = new AtomicInteger();

  private ZeroRpcServer start(CurveAuthenticator authenticator) {
    ServerOptions options =
        Fixtures.localServer().curve(serverKeys.publicKey(), serverKeys.secretKey());
    if (authenticator != null) {
      options.authenticator(authenticator);
    }
    return ZeroRpcServer.start(
        options,
        call -> {
          handled.incrementAndGet();
          call.reply(i(7));
        });
  }

  private static ClientOptions curveClient(
      ZeroRpcServer server, byte[] serverPublicKey, CurveKeys.KeyPair keys) {
    return Fixtures.clientTo(server).curve(serverPublicKey, keys.publicKey(), keys.secretKey());
  }

  @Test
  void clientWithTheServerKeyIsServed() throws Exception {
    try (ZeroRpcServer server = start(null);
        ZeroRpcClient client =
            ZeroRpcClient.connect(curveClient(server, serverKeys.publicKey(), clientKeys))) {
      assertThat(client.call("m", WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(i(7));
    }
  }

  @Test
  void eachCallCarriesTheKeyItsClientProved() throws Exception {
    CurveKeys.KeyPair other = CurveKeys.generate();
    java.util.Map<String, String> seen = new java.util.concurrent.ConcurrentHashMap<>();
    try (ZeroRpcServer server =
            ZeroRpcServer.start(
                Fixtures.localServer().curve(serverKeys.publicKey(), serverKeys.secretKey()),
                call -> {
                  seen.put(call.method(), call.peerKey().map(CurveKeys::encodeZ85).orElse("none"));
                  call.reply(i(1));
                });
        ZeroRpcClient a =
            ZeroRpcClient.connect(curveClient(server, serverKeys.publicKey(), clientKeys));
        ZeroRpcClient b =
            ZeroRpcClient.connect(curveClient(server, serverKeys.publicKey(), other))) {
      a.call("from_a", WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      b.call("from_b", WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
    assertThat(seen)
        .containsEntry("from_a", CurveKeys.encodeZ85(clientKeys.publicKey()))
        .containsEntry("from_b", CurveKeys.encodeZ85(other.publicKey()));
  }

  @Test
  void eachCallCarriesThePeerAddressTheTransportSaw() throws Exception {
    java.util.Map<String, String> seen = new java.util.concurrent.ConcurrentHashMap<>();
    for (boolean curve : new boolean[] {true, false}) {
      ServerOptions options = Fixtures.localServer();
      if (curve) {
        options.curve(serverKeys.publicKey(), serverKeys.secretKey());
      }
      try (ZeroRpcServer server =
              ZeroRpcServer.start(
                  options,
                  call -> {
                    seen.put(call.method(), call.peer().address().orElse("none"));
                    call.reply(i(1));
                  });
          ZeroRpcClient c =
              ZeroRpcClient.connect(
                  curve
                      ? curveClient(server, serverKeys.publicKey(), clientKeys)
                      : Fixtures.clientTo(server))) {
        c.call(curve ? "curve" : "plain", WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      }
    }
    assertThat(seen).containsEntry("curve", "127.0.0.1").containsEntry("plain", "127.0.0.1");
  }

  @Test
  void aPlainServerReportsNoPeerKey() throws Exception {
    java.util.concurrent.atomic.AtomicReference<Boolean> present =
        new java.util.concurrent.atomic.AtomicReference<>();
    try (ZeroRpcServer server =
            ZeroRpcServer.start(
                Fixtures.localServer(),
                call -> {
                  present.set(call.peerKey().isPresent());
                  call.reply(i(1));
                });
        ZeroRpcClient c = ZeroRpcClient.connect(Fixtures.clientTo(server))) {
      c.call("m", WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
    assertThat(present.get()).isFalse();
  }

  @Test
  void clientWithAWrongServerKeyNeverGetsAReply() {
    try (ZeroRpcServer server = start(null);
        ZeroRpcClient client =
            ZeroRpcClient.connect(
                curveClient(server, CurveKeys.generate().publicKey(), clientKeys))) {
      assertThat(client.call("m", NO_REPLY))
          .failsWithin(WAIT)
          .withThrowableThat()
          .havingCause()
          .isInstanceOf(CallTimeoutException.class);
      assertThat(handled).hasValue(0);
    }
  }

  @Test
  void plainClientNeverGetsAReply() {
    try (ZeroRpcServer server = start(null);
        ZeroRpcClient client = ZeroRpcClient.connect(Fixtures.clientTo(server))) {
      assertThat(client.call("m", NO_REPLY))
          .failsWithin(WAIT)
          .withThrowableThat()
          .havingCause()
          .isInstanceOf(CallTimeoutException.class);
      assertThat(handled).hasValue(0);
    }
  }

  @Test
  void authenticatorDecidesWhichClientKeysMayConnect() throws Exception {
    CurveKeys.KeyPair stranger = CurveKeys.generate();
    List<String> asked = new CopyOnWriteArrayList<>();
    CurveAuthenticator onlyKnownClient =
        key -> {
          String z85 = CurveKeys.encodeZ85(key);
          asked.add(z85);
          return z85.equals(CurveKeys.encodeZ85(clientKeys.publicKey()));
        };
    try (ZeroRpcServer server = start(onlyKnownClient);
        ZeroRpcClient known =
            ZeroRpcClient.connect(curveClient(server, serverKeys.publicKey(), clientKeys));
        ZeroRpcClient refused =
            ZeroRpcClient.connect(curveClient(server, serverKeys.publicKey(), stranger))) {
      assertThat(known.call("m", WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(i(7));
      assertThat(refused.call("m", NO_REPLY))
          .failsWithin(WAIT)
          .withThrowableThat()
          .havingCause()
          .isInstanceOf(CallTimeoutException.class);
      assertThat(handled).hasValue(1);
      assertThat(asked).contains(CurveKeys.encodeZ85(stranger.publicKey()));
    }
  }

  @Test
  void authenticatorThatThrowsRefuses() {
    try (ZeroRpcServer server =
            start(
                key -> {
                  throw new IllegalStateException("key store unavailable");
                });
        ZeroRpcClient client =
            ZeroRpcClient.connect(curveClient(server, serverKeys.publicKey(), clientKeys))) {
      assertThat(client.call("m", NO_REPLY))
          .failsWithin(WAIT)
          .withThrowableThat()
          .havingCause()
          .isInstanceOf(CallTimeoutException.class);
      assertThat(handled).hasValue(0);
    }
  }

  @Test
  void keysRoundTripThroughZ85() {
    CurveKeys.KeyPair pair = CurveKeys.generate();
    String text = CurveKeys.encodeZ85(pair.publicKey());
    assertThat(text).hasSize(40);
    assertThat(CurveKeys.decodeZ85(text)).isEqualTo(pair.publicKey());
    assertThat(pair.toString()).doesNotContain(CurveKeys.encodeZ85(pair.secretKey()));
    // the client public key of the zmq_curve(7) test keys
    assertThat(CurveKeys.decodeZ85("Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID"))
        .isEqualTo(
            java.util.HexFormat.of()
                .parseHex("bb88471d65e2659b30c55a5321cebb5aab2b70a398645c26dca2b2fcb43fc518"));

    assertThatThrownBy(() -> CurveKeys.decodeZ85("short"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("40 characters");
    assertThatThrownBy(() -> CurveKeys.decodeZ85("~".repeat(40)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not in the Z85 alphabet");
    assertThatThrownBy(() -> new ServerOptions("tcp://*:0").curve(new byte[31], new byte[32]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("publicKey must be 32 bytes, got 31");
  }

  @Test
  void authenticatorWithoutCurveIsRejected() {
    assertThatThrownBy(
            () -> ZeroRpcServer.start(Fixtures.localServer().authenticator(k -> true), c -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs curve");
  }
}
