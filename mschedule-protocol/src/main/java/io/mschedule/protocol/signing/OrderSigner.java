package io.mschedule.protocol.signing;

import io.mschedule.protocol.message.Message;
import io.mschedule.protocol.message.MessageCodec;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

/**
 * Encodes an order with the master's signature beside its payload: {@code {"type": .., "payload":
 * {..}, "signature": {"issued_at": MILLIS, "ed25519": BASE64}}}. The signature names no agent, so
 * one signed order serves a whole fan-out and a relay can forward it unchanged.
 */
public final class OrderSigner {
  /** The key of the signature map beside {@code type} and {@code payload}. */
  public static final String SIGNATURE = "signature";

  public static final String ISSUED_AT = "issued_at";
  public static final String ED25519 = "ed25519";

  private final PrivateKey key;

  public OrderSigner(PrivateKey key) {
    this.key = key;
  }

  /** The order, encoded and signed as issued at {@code issuedAt} (epoch milliseconds). */
  public Value sign(Message order, long issuedAt) {
    byte[] sig = signature(SignedFields.of(order, issuedAt));
    Map<Value, Value> out = new LinkedHashMap<>(MessageCodec.encode(order).asMapValue().map());
    out.put(
        ValueFactory.newString(SIGNATURE),
        ValueFactory.newMap(
            ValueFactory.newString(ISSUED_AT),
            ValueFactory.newInteger(issuedAt),
            ValueFactory.newString(ED25519),
            ValueFactory.newString(Base64.getEncoder().encodeToString(sig))));
    return ValueFactory.newMap(out);
  }

  private byte[] signature(byte[] data) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(key);
      s.update(data);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign an order: " + e.getMessage(), e);
    }
  }
}
