package io.mschedule.agent.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mschedule.protocol.message.MessageCodec;
import io.mschedule.protocol.message.TaskOrder;
import io.mschedule.protocol.signing.OrderKeys;
import io.mschedule.protocol.signing.OrderSigner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

class OrderTrustTest {
  private static final String MASTER = "tcp://m:5555";
  private static final long NOW = 1_764_500_000_000L;

  @TempDir Path dir;

  private final KeyPair master = generate();
  private final KeyPair other = generate();
  private final TaskOrder order =
      new TaskOrder("t1", "echo hi".getBytes(StandardCharsets.UTF_8), 0, 1, 0, -1);

  @Test
  void withoutAKeyTheFirstOfferedOneIsPinnedAndEnforced() throws Exception {
    OrderTrust trust = new OrderTrust(null, dir);
    assertThat(trust.key()).isNull();
    Value unsigned = MessageCodec.encode(order);
    assertThat(trust.problem(unsigned, order, NOW)).isNull(); // a master that offers no key

    trust.offered(ack(master), MASTER);

    assertThat(trust.key()).isEqualTo(master.getPublic());
    assertThat(Files.readString(dir.resolve(OrderTrust.PIN_FILE)).trim())
        .isEqualTo(OrderKeys.encode(master.getPublic()));
    assertThat(trust.problem(signed(master), order, NOW)).isNull();
    assertThat(trust.problem(unsigned, order, NOW)).contains("carries no signature");
    assertThat(trust.problem(signed(other), order, NOW)).contains("does not match");
  }

  @Test
  void aPinnedKeyOutlivesARestartAndAnotherOfferedKeyIsRefusedSayingWhatToDo() {
    new OrderTrust(null, dir).offered(ack(master), MASTER);

    OrderTrust restarted = new OrderTrust(null, dir);
    assertThat(restarted.key()).isEqualTo(master.getPublic());
    restarted.offered(ack(master), MASTER); // the same key again: fine
    restarted.offered(ValueFactory.emptyMap(), MASTER); // no key offered: keeps the pin

    assertThatThrownBy(() -> restarted.offered(ack(other), MASTER))
        .isInstanceOf(OrderKeyMismatchException.class)
        .hasMessageContaining("the master at " + MASTER + " signs orders with the key")
        .hasMessageContaining(OrderKeys.encode(other.getPublic()))
        .hasMessageContaining("trusts only " + OrderKeys.encode(master.getPublic()))
        .hasMessageContaining("delete " + dir.resolve(OrderTrust.PIN_FILE))
        .hasMessageContaining("mschedule master key --order");
    assertThat(restarted.key()).isEqualTo(master.getPublic());
    assertThat(restarted.problem(signed(other), order, NOW)).contains("does not match");
  }

  @Test
  void aConfiguredKeyIsNeverReplacedNorPinned() {
    OrderTrust trust = new OrderTrust(master.getPublic(), dir);
    assertThat(trust.problem(MessageCodec.encode(order), order, NOW))
        .contains("carries no signature");
    assertThatThrownBy(() -> trust.offered(ack(other), MASTER))
        .isInstanceOf(OrderKeyMismatchException.class)
        .hasMessageContaining("(its order-key setting)")
        .hasMessageContaining("set order-key to the new key");
    assertThat(dir.resolve(OrderTrust.PIN_FILE)).doesNotExist();
  }

  @Test
  void aMalformedOfferedKeyIsRefused() {
    OrderTrust trust = new OrderTrust(null, dir);
    Value ack =
        ValueFactory.newMap(ValueFactory.newString("order_key"), ValueFactory.newString("xx"));
    assertThatThrownBy(() -> trust.offered(ack, MASTER))
        .hasMessageContaining("malformed order key 'xx'");
    assertThat(trust.key()).isNull();
  }

  @Test
  void aDamagedPinFileStopsTheAgentSayingHowToRepairIt() throws Exception {
    Files.writeString(dir.resolve(OrderTrust.PIN_FILE), "garbage\n");
    assertThatThrownBy(() -> new OrderTrust(null, dir))
        .hasMessageContaining(OrderTrust.PIN_FILE)
        .hasMessageContaining("delete the file");
  }

  private Value signed(KeyPair keys) {
    return new OrderSigner(keys.getPrivate()).sign(order, NOW);
  }

  private static Value ack(KeyPair keys) {
    return ValueFactory.newMap(
        ValueFactory.newString("status"),
        ValueFactory.newString("ok"),
        ValueFactory.newString("order_key"),
        ValueFactory.newString(OrderKeys.encode(keys.getPublic())));
  }

  private static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
