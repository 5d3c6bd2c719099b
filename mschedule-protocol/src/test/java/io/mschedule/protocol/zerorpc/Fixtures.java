package io.mschedule.protocol.zerorpc;

import java.time.Duration;
import java.util.Arrays;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

final class Fixtures {
  static final Duration WAIT = Duration.ofSeconds(20);

  private Fixtures() {}

  static ServerOptions localServer() {
    return new ServerOptions("tcp://127.0.0.1:0").name("test-server");
  }

  /** Client options for tests: a short handshake retry (see ClientOptions#handshakeTimeout). */
  static ClientOptions clientTo(ZeroRpcServer server) {
    return new ClientOptions(endpoint(server)).handshakeTimeout(Duration.ofMillis(500));
  }

  /**
   * Waits until a ping goes through, so that connection set-up (a cold JVM, or a JeroMQ handshake
   * retry) does not count against the short heartbeat limits some tests use.
   */
  static void awaitConnected(ZeroRpcClient client) {
    org.awaitility.Awaitility.await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(
            () ->
                client
                        .call("_zerorpc_ping", Duration.ofSeconds(2))
                        .get(5, java.util.concurrent.TimeUnit.SECONDS)
                    != null);
  }

  static String endpoint(ZeroRpcServer server) {
    return "tcp://127.0.0.1:" + server.port();
  }

  static Value i(long n) {
    return ValueFactory.newInteger(n);
  }

  static Value s(String text) {
    return ValueFactory.newString(text);
  }

  static Value array(Value... values) {
    return ValueFactory.newArray(Arrays.asList(values));
  }
}
