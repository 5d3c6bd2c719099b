package io.mschedule.protocol.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mschedule.protocol.message.FileOrder;
import io.mschedule.protocol.message.KillOrder;
import io.mschedule.protocol.message.Message;
import io.mschedule.protocol.message.MessageCodec;
import io.mschedule.protocol.message.TaskOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

class OrderSigningTest {
  /** RFC 8032, section 7.1, test 1: the key of the vector in docs/protocol.md. */
  static final String RFC_SEED = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";

  static final String RFC_PUBLIC =
      "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

  static final long ISSUED_AT = 1_764_500_000_000L;

  static final TaskOrder VECTOR_TASK =
      new TaskOrder(
          "0f8e3c5a9b7d4e21a6c3b5d7e9f10234",
          "echo hi\n".getBytes(StandardCharsets.UTF_8),
          30,
          1,
          0,
          -1,
          "ab08508fdf5ca4da5c4995987bc41c56c048aaa5eeb046417ae4049b7d40286e",
          new LinkedHashMap<>(Map.of("REGION", "eu", "MODE", "fast")),
          List.of(
              new FileOrder(
                  "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
                  5,
                  "hello.txt",
                  "0640",
                  null)),
          false,
          2);

  static final String VECTOR_TASK_BYTES =
      "000000126d7363686564756c652d6f726465722d7631000000047461736b0000"
          + "019ad4654d000000002030663865336335613962376434653231613663336235"
          + "643765396631303233340000000000000002000000086563686f2068690a0100"
          + "0000406162303835303866646635636134646135633439393539383762633431"
          + "6335366330343861616135656562303436343137616534303439623764343032"
          + "383665000000000000001e000000000000000002000000044d4f444500000004"
          + "6661737400000006524547494f4e000000026575000000000000000100000040"
          + "3263663234646261356662306133306532366538336232616335623965323965"
          + "3162313631653563316661373432356537333034333336323933386239383234"
          + "00000000000000050000000968656c6c6f2e74787401000000043036343000";
  static final String VECTOR_TASK_SIGNATURE =
      "Q0hFBSuuoiVvRnwUKYhjqNL9ESCyqb+QWZy2BWUVW5R9a/04Eea44T5c2opAf+j0BX5l/LehrbOMaXahEjILAg==";
  static final String VECTOR_KILL_BYTES =
      "000000126d7363686564756c652d6f726465722d7631000000046b696c6c0000"
          + "019ad4654d000000002030663865336335613962376434653231613663336235"
          + "64376539663130323334";
  static final String VECTOR_KILL_SIGNATURE =
      "q1lDoMxkqBLFK2zupracanvexxvFBp928EamUOkKK+C7JaIurSlIV/9eTYEVgpvvnqMyv8MA59OD0DW0qVl+Aw==";

  private final KeyPair rfcKeys =
      new KeyPair(
          OrderKeys.publicKey(HexFormat.of().parseHex(RFC_PUBLIC)),
          OrderKeys.privateKey(HexFormat.of().parseHex(RFC_SEED)));

  private final long now = ISSUED_AT + 1_000;

  @Test
  void the_documented_vector_gives_the_documented_bytes_and_signatures() {
    assertThat(OrderKeys.encode(rfcKeys.getPublic()))
        .isEqualTo("11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
    assertThat(HexFormat.of().formatHex(SignedFields.of(VECTOR_TASK, ISSUED_AT)))
        .isEqualTo(VECTOR_TASK_BYTES);
    assertThat(sigOf(signer().sign(VECTOR_TASK, ISSUED_AT))).isEqualTo(VECTOR_TASK_SIGNATURE);
    KillOrder kill = new KillOrder(VECTOR_TASK.id());
    assertThat(HexFormat.of().formatHex(SignedFields.of(kill, ISSUED_AT)))
        .isEqualTo(VECTOR_KILL_BYTES);
    assertThat(sigOf(signer().sign(kill, ISSUED_AT))).isEqualTo(VECTOR_KILL_SIGNATURE);
  }

  @Test
  void signatures_agree_with_the_jdks_ed25519_both_ways() throws Exception {
    KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    byte[] data = SignedFields.of(VECTOR_TASK, ISSUED_AT);
    Value item = new OrderSigner(keys.getPrivate()).sign(VECTOR_TASK, ISSUED_AT);
    Signature jdk = Signature.getInstance("Ed25519");
    jdk.initVerify(keys.getPublic());
    jdk.update(data);
    assertThat(jdk.verify(Base64.getDecoder().decode(sigOf(item)))).isTrue();

    jdk.initSign(keys.getPrivate());
    jdk.update(data);
    String jdkSig = Base64.getEncoder().encodeToString(jdk.sign());
    assertThat(jdkSig).isEqualTo(sigOf(item)); // Ed25519 is deterministic
    Map<Value, Value> top =
        new LinkedHashMap<>(MessageCodec.encode(VECTOR_TASK).asMapValue().map());
    top.put(
        str("signature"),
        ValueFactory.newMap(
            str("issued_at"), ValueFactory.newInteger(ISSUED_AT), str("ed25519"), str(jdkSig)));
    assertThat(
            new OrderVerifier(keys.getPublic()).problem(ValueFactory.newMap(top), VECTOR_TASK, now))
        .isNull();
    assertThat(verifier().problem(ValueFactory.newMap(top), VECTOR_TASK, now))
        .contains("does not match");
  }

  @Test
  void a_signed_order_decodes_as_before_and_verifies() {
    Value item = signer().sign(VECTOR_TASK, ISSUED_AT);
    Message decoded = MessageCodec.decode(item);
    assertThat(decoded).usingRecursiveComparison().isEqualTo(VECTOR_TASK);
    assertThat(verifier().problem(item, decoded, now)).isNull();
    Value kill = signer().sign(new KillOrder("t1"), ISSUED_AT);
    assertThat(verifier().problem(kill, MessageCodec.decode(kill), now)).isNull();
  }

  @Test
  void an_order_changed_in_any_field_the_agent_acts_on_is_refused() {
    Value item = signer().sign(VECTOR_TASK, ISSUED_AT);
    Map<String, Value> changes = new LinkedHashMap<>();
    changes.put("script", ValueFactory.newString(base64("rm -rf /tmp/x\n")));
    changes.put("id", ValueFactory.newString("0f8e3c5a9b7d4e21a6c3b5d7e9f10235"));
    changes.put("attempt", ValueFactory.newInteger(3));
    changes.put("timeout", ValueFactory.newInteger(0));
    changes.put("copy", ValueFactory.newBoolean(true));
    changes.put(
        "env", ValueFactory.newMap(ValueFactory.newString("MODE"), ValueFactory.newString("x")));
    changes.put("files", ValueFactory.emptyArray());
    changes.put("script_sha256", ValueFactory.newString("0".repeat(64)));
    for (Map.Entry<String, Value> c : changes.entrySet()) {
      Value tampered = withPayloadField(item, c.getKey(), c.getValue());
      assertThat(verifier().problem(tampered, MessageCodec.decode(tampered), now))
          .as(c.getKey())
          .contains("does not match the order key");
    }
    Value noSha = withoutPayloadField(item, "script_sha256");
    assertThat(verifier().problem(noSha, MessageCodec.decode(noSha), now))
        .contains("does not match");
  }

  @Test
  void fields_the_agent_does_not_act_on_may_differ() {
    Value item = signer().sign(VECTOR_TASK, ISSUED_AT);
    Value other = withPayloadField(item, "parallel", ValueFactory.newInteger(50));
    assertThat(verifier().problem(other, MessageCodec.decode(other), now)).isNull();
  }

  @Test
  void a_changed_issue_time_is_refused() {
    Value item = signer().sign(VECTOR_TASK, ISSUED_AT);
    Map<Value, Value> top = new LinkedHashMap<>(item.asMapValue().map());
    Map<Value, Value> sig = new LinkedHashMap<>(top.get(str("signature")).asMapValue().map());
    sig.put(str("issued_at"), ValueFactory.newInteger(ISSUED_AT + 1));
    top.put(str("signature"), ValueFactory.newMap(sig));
    Value moved = ValueFactory.newMap(top);
    assertThat(verifier().problem(moved, MessageCodec.decode(moved), now))
        .contains("does not match");
  }

  @Test
  void an_order_signed_with_another_key_is_refused() throws Exception {
    KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Value item = new OrderSigner(other.getPrivate()).sign(VECTOR_TASK, ISSUED_AT);
    assertThat(verifier().problem(item, MessageCodec.decode(item), now))
        .contains("does not match the order key 11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
  }

  @Test
  void an_unsigned_or_malformed_signature_is_refused() {
    Value plain = MessageCodec.encode(VECTOR_TASK);
    assertThat(verifier().problem(plain, VECTOR_TASK, now)).contains("carries no signature");
    Map<Value, Value> top = new LinkedHashMap<>(plain.asMapValue().map());
    top.put(
        str("signature"),
        ValueFactory.newMap(
            str("issued_at"), ValueFactory.newInteger(ISSUED_AT), str("ed25519"), str("!!")));
    assertThat(verifier().problem(ValueFactory.newMap(top), VECTOR_TASK, now))
        .contains("not Base64");
    top.put(str("signature"), str("x"));
    assertThat(verifier().problem(ValueFactory.newMap(top), VECTOR_TASK, now))
        .contains("not a map");
    top.put(
        str("signature"),
        ValueFactory.newMap(
            str("issued_at"), ValueFactory.newInteger(ISSUED_AT), str("ed25519"), str("AAAA")));
    assertThat(verifier().problem(ValueFactory.newMap(top), VECTOR_TASK, now))
        .contains("does not match");
  }

  @Test
  void an_order_older_or_newer_than_the_maximum_age_is_refused() {
    Value item = signer().sign(VECTOR_TASK, ISSUED_AT);
    long max = OrderVerifier.MAX_AGE.toMillis();
    assertThat(verifier().problem(item, VECTOR_TASK, ISSUED_AT + max)).isNull();
    assertThat(verifier().problem(item, VECTOR_TASK, ISSUED_AT + max + 1))
        .contains("more than 10 minutes ago");
    assertThat(verifier().problem(item, VECTOR_TASK, ISSUED_AT - max - 1))
        .contains("ahead of this agent's clock");
    assertThat(OrderVerifier.MAX_AGE).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void the_key_pair_is_created_once_with_a_private_secret_and_read_back(@TempDir Path dir)
      throws Exception {
    KeyPair first = OrderKeys.loadOrCreate(dir);
    KeyPair again = OrderKeys.loadOrCreate(dir);
    assertThat(again.getPublic()).isEqualTo(first.getPublic());
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("order.key"))))
        .isEqualTo("rw-------");
    String pub = Files.readString(dir.resolve("order.pub")).trim();
    assertThat(Base64.getDecoder().decode(pub)).hasSize(32);
    assertThat(OrderKeys.parse(pub)).isEqualTo(first.getPublic());
    assertThat(OrderKeys.parse(dir.resolve("order.pub").toString())).isEqualTo(first.getPublic());
    // what one key signs, the key read back from the files verifies
    Value item = new OrderSigner(again.getPrivate()).sign(VECTOR_TASK, ISSUED_AT);
    assertThat(new OrderVerifier(first.getPublic()).problem(item, VECTOR_TASK, now)).isNull();
  }

  @Test
  void a_malformed_key_text_is_refused_saying_what_is_expected() {
    assertThatThrownBy(() -> OrderKeys.parse("not-a-key"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Base64 of a 32-byte Ed25519 public key");
    assertThatThrownBy(() -> OrderKeys.parse(Base64.getEncoder().encodeToString(new byte[31])))
        .hasMessageContaining("mschedule master key --order");
  }

  private OrderSigner signer() {
    return new OrderSigner(rfcKeys.getPrivate());
  }

  private OrderVerifier verifier() {
    return new OrderVerifier(rfcKeys.getPublic());
  }

  private static Value withPayloadField(Value item, String field, Value value) {
    Map<Value, Value> top = new LinkedHashMap<>(item.asMapValue().map());
    Map<Value, Value> payload = new LinkedHashMap<>(top.get(str("payload")).asMapValue().map());
    payload.put(str(field), value);
    top.put(str("payload"), ValueFactory.newMap(payload));
    return ValueFactory.newMap(top);
  }

  private static Value withoutPayloadField(Value item, String field) {
    Map<Value, Value> top = new LinkedHashMap<>(item.asMapValue().map());
    Map<Value, Value> payload = new LinkedHashMap<>(top.get(str("payload")).asMapValue().map());
    payload.remove(str(field));
    top.put(str("payload"), ValueFactory.newMap(payload));
    return ValueFactory.newMap(top);
  }

  private static Value str(String s) {
    return ValueFactory.newString(s);
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String sigOf(Value signed) {
    return signed
        .asMapValue()
        .map()
        .get(ValueFactory.newString("signature"))
        .asMapValue()
        .map()
        .get(ValueFactory.newString("ed25519"))
        .asStringValue()
        .asString();
  }
}
