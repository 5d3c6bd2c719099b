package io.mschedule.agent.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ScriptChecksumTest {
  private static final byte[] SCRIPT = "echo hi\n".getBytes(StandardCharsets.UTF_8);
  // sha256sum of "echo hi\n"
  private static final String SHA = ScriptChecksum.sha256(SCRIPT);

  @Test
  void sha256_is_lower_case_hex_of_the_bytes() {
    assertThat(ScriptChecksum.sha256("abc".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void no_checksum_or_a_matching_one_lets_the_script_run() {
    assertThat(ScriptChecksum.mismatch(SCRIPT, null)).isNull();
    assertThat(ScriptChecksum.mismatch(SCRIPT, SHA)).isNull();
    assertThat(ScriptChecksum.mismatch(SCRIPT, SHA.toUpperCase())).isNull();
  }

  @Test
  void a_mismatch_names_both_hashes() {
    String other = ScriptChecksum.sha256("echo bye\n".getBytes(StandardCharsets.UTF_8));
    assertThat(ScriptChecksum.mismatch(SCRIPT, other))
        .contains("checksum mismatch")
        .contains(other)
        .contains(SHA)
        .contains("not run");
  }
}
