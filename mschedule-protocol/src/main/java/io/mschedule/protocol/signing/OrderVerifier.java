package io.mschedule.protocol.signing;

import io.mschedule.protocol.message.Message;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

/**
 * Checks that an order was signed with the master's order key, over the fields the agent is about
 * to act on, and recently: an order issued more than {@link #MAX_AGE} before (or after) the agent's
 * clock is refused, so an old signed order cannot be played again.
 */
public final class OrderVerifier {
  /** How far an order's {@code issued_at} may be from the agent's clock, either way. */
  public static final Duration MAX_AGE = Duration.ofMinutes(10);

  private final PublicKey key;

  /** The key decoded once (null: not a valid point, nothing verifies). */
  private final Ed25519.PublicPoint point;

  public OrderVerifier(PublicKey key) {
    this.key = key;
    this.point = Ed25519.validatePublicKeyFullExport(OrderKeys.raw(key), 0);
  }

  public PublicKey key() {
    return key;
  }

  /**
   * Why the order must not be acted on, or null when it may.
   *
   * @param item the order as received (its {@code signature} is read from it)
   * @param order the same item decoded: the fields the agent acts on
   * @param now the agent's clock, epoch milliseconds
   */
  public String problem(Value item, Message order, long now) {
    Value sig = item.isMapValue() ? item.asMapValue().map().get(str(OrderSigner.SIGNATURE)) : null;
    if (sig == null || sig.isNilValue()) {
      return "it carries no signature (the agent only runs orders signed with the master's order"
          + " key)";
    }
    if (!sig.isMapValue()) {
      return "its signature is not a map";
    }
    Value issued = sig.asMapValue().map().get(str(OrderSigner.ISSUED_AT));
    Value value = sig.asMapValue().map().get(str(OrderSigner.ED25519));
    if (issued == null || !issued.isIntegerValue() || !issued.asIntegerValue().isInLongRange()) {
      return "its signature has no integer issued_at";
    }
    if (value == null || !value.isStringValue()) {
      return "its signature has no ed25519 text";
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(value.asStringValue().asString());
    } catch (IllegalArgumentException e) {
      return "its signature is not Base64";
    }
    long issuedAt = issued.asIntegerValue().asLong();
    if (!verifies(SignedFields.of(order, issuedAt), bytes)) {
      return "its signature does not match the order key "
          + OrderKeys.encode(key)
          + ": it was signed with another key, or changed after it was signed";
    }
    long age = now - issuedAt;
    if (Math.abs(age) > MAX_AGE.toMillis()) {
      return "it was issued at "
          + Instant.ofEpochMilli(issuedAt)
          + ", more than "
          + MAX_AGE.toMinutes()
          + " minutes "
          + (age > 0 ? "ago" : "ahead of this agent's clock")
          + " (an old order played again, or a clock out of step with the master's)";
    }
    return null;
  }

  private boolean verifies(byte[] data, byte[] signature) {
    return point != null
        && signature.length == Ed25519.SIGNATURE_SIZE
        && Ed25519.verify(signature, 0, point, data, 0, data.length);
  }

  private static Value str(String s) {
    return ValueFactory.newString(s);
  }
}
