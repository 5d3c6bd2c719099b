package io.mschedule.agent.session;

import io.mschedule.protocol.keys.KeyFiles;
import io.mschedule.protocol.message.Message;
import io.mschedule.protocol.signing.OrderKeys;
import io.mschedule.protocol.signing.OrderVerifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which key the master's orders must be signed with: the one given as {@code order-key}, else the
 * one pinned in {@code <data-dir>/master-order.pub} on first contact (trust on first use, like
 * SSH's known hosts). Without either, the agent takes the key the master offers in its register
 * answer and pins it; a master that offers none (older masters) gets its orders run unsigned until
 * one does.
 */
final class OrderTrust {
  private static final Logger log = LoggerFactory.getLogger(MasterSession.class);

  /** The file the agent pins the master's order key in. */
  static final String PIN_FILE = "master-order.pub";

  private final Path pinFile;
  private final boolean configured;
  private volatile OrderVerifier verifier;

  /**
   * @param configured the key from {@code order-key}, or null
   */
  OrderTrust(PublicKey configured, Path dataDir) {
    this.pinFile = dataDir.resolve(PIN_FILE);
    this.configured = configured != null;
    PublicKey key = configured != null ? configured : readPin();
    this.verifier = key == null ? null : new OrderVerifier(key);
  }

  /** The key orders must be signed with, or null while none is known. */
  PublicKey key() {
    OrderVerifier v = verifier;
    return v == null ? null : v.key();
  }

  /**
   * Takes note of the order key in a register answer: pins it when no key is known yet.
   *
   * @throws OrderKeyMismatchException when it differs from the trusted key
   */
  synchronized void offered(Value ack, String master) {
    String text = orderKeyOf(ack);
    if (text == null) {
      return;
    }
    PublicKey key;
    try {
      key = OrderKeys.publicKey(java.util.Base64.getDecoder().decode(text));
    } catch (IllegalArgumentException e) {
      throw new OrderKeyMismatchException(
          "the master at " + master + " offers a malformed order key '" + text + "'");
    }
    OrderVerifier v = verifier;
    if (v == null) {
      pin(text);
      verifier = new OrderVerifier(key);
      log.info(
          "trusting the master's order key {} from now on (pinned in {} on first contact)",
          text,
          pinFile);
    } else if (!v.key().equals(key)) {
      String trusted = OrderKeys.encode(v.key());
      throw new OrderKeyMismatchException(
          "the master at "
              + master
              + " signs orders with the key "
              + text
              + ", but this agent trusts only "
              + trusted
              + (configured
                  ? " (its order-key setting)"
                  : " (pinned in " + pinFile + " on first contact)")
              + ", so it would refuse every order. If the master's order key was changed on"
              + " purpose, "
              + (configured
                  ? "set order-key to the new key ('mschedule master key --order' on the master)"
                  : "delete "
                      + pinFile
                      + " or set order-key to the new key ('mschedule master key --order' on the"
                      + " master)")
              + " and restart the agent; otherwise find out who answers at "
              + master);
    }
  }

  /**
   * Why the order must not be run, or null when it may: signed with the trusted key, over what the
   * agent acts on, recently. Without a trusted key every order passes.
   */
  String problem(Value item, Message order, long now) {
    OrderVerifier v = verifier;
    return v == null ? null : v.problem(item, order, now);
  }

  private PublicKey readPin() {
    if (!Files.exists(pinFile)) {
      return null;
    }
    try {
      return OrderKeys.parse(Files.readString(pinFile));
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalStateException(
          pinFile
              + ": cannot read the pinned order key ("
              + e.getMessage()
              + "); delete the file to pin the master's key again on the next connection");
    }
  }

  private void pin(String text) {
    try {
      KeyFiles.writePrivate(pinFile, text + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot pin the master's order key in " + pinFile, e);
    }
  }

  static String orderKeyOf(Value ack) {
    if (ack != null && ack.isMapValue()) {
      Value v = ack.asMapValue().map().get(ValueFactory.newString("order_key"));
      if (v != null && v.isStringValue()) {
        return v.asStringValue().asString();
      }
    }
    return null;
  }
}
