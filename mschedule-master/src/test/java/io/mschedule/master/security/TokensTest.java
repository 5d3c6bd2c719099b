package io.mschedule.master.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokensTest {
  @Test
  void secretsAreRandomUrlSafeAndPrefixed() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      String s = Tokens.newSecret();
      assertThat(s).startsWith("mst_").hasSize(4 + 43).matches("mst_[A-Za-z0-9_-]{43}");
      assertThat(Tokens.wellFormed(s)).isTrue();
      assertThat(seen.add(s)).isTrue();
    }
  }

  @Test
  void hashesAreSha256Hex() {
    assertThat(Tokens.hash("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void malformedSecretsAreNotLookedUp() {
    assertThat(Tokens.wellFormed(null)).isFalse();
    assertThat(Tokens.wellFormed("mst_short")).isFalse();
    assertThat(Tokens.wellFormed("xyz_" + "a".repeat(43))).isFalse();
    assertThat(Tokens.wellFormed("mst_" + "a".repeat(42) + "!")).isFalse();
    assertThat(Tokens.wellFormed("mst_" + "a".repeat(500))).isFalse();
  }

  @Test
  void bearerHeaders() {
    assertThat(TokenAccess.bearer("Bearer abc")).isEqualTo("abc");
    assertThat(TokenAccess.bearer("bearer  abc ")).isEqualTo("abc");
    assertThat(TokenAccess.bearer("Basic abc")).isNull();
    assertThat(TokenAccess.bearer("Bearer ")).isNull();
    assertThat(TokenAccess.bearer(null)).isNull();
  }
}
