package io.mschedule.master.security.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mschedule.protocol.test.TestClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The join-token file: create, check, list, revoke, expiry, and files of older versions. */
class JoinTokensTest {
  private static final Instant T0 = Instant.parse("2026-06-01T09:00:00Z");

  @TempDir Path dir;
  private final TestClock clock = new TestClock(T0);

  @Test
  void aTokenIsValidUntilItExpiresOrIsRevoked() {
    JoinTokens tokens = new JoinTokens(dir, clock);
    JoinTokens.Created a = tokens.create(Duration.ofHours(1), "admin");
    JoinTokens.Created b = tokens.create(Duration.ofHours(2), "admin");
    assertThat(a.value()).startsWith(JoinTokens.PREFIX);
    assertThat(a.token().id())
        .hasSize(JoinTokens.ID_LENGTH)
        .isEqualTo(JoinTokens.hash(a.value()).substring(0, 12));
    assertThat(a.token().createdAt()).isEqualTo(T0);
    assertThat(a.token().expiresAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
    assertThat(a.token().createdBy()).isEqualTo("admin");
    assertThat(tokens.valid(a.value())).isTrue();

    // another process (the CLI on the data dir) sees the same file
    JoinTokens other = new JoinTokens(dir, clock);
    assertThat(other.list())
        .extracting(JoinTokens.JoinToken::id)
        .containsExactly(a.token().id(), b.token().id());
    assertThat(other.revoke(a.token().id().substring(0, 6))).hasValue(a.token());
    assertThat(tokens.valid(a.value())).isFalse();
    assertThat(tokens.valid(b.value())).isTrue();
    assertThat(tokens.revoke(a.token().id())).isEmpty();

    clock.advance(Duration.ofHours(2));
    assertThat(tokens.valid(b.value())).isFalse();
    assertThat(tokens.list())
        .singleElement()
        .satisfies(t -> assertThat(t.expired(clock.instant())).isTrue());
    tokens.create(Duration.ofMinutes(5), "local"); // drops the expired one
    assertThat(tokens.list()).extracting(JoinTokens.JoinToken::createdBy).containsExactly("local");
    assertThat(tokens.valid("msj_unknown")).isFalse();
    assertThat(tokens.valid("mst_" + "a".repeat(43))).isFalse();
  }

  @Test
  void aChangeMadeToTheFileByHandHoldsForTheNextCheck() throws Exception {
    JoinTokens tokens = new JoinTokens(dir, clock);
    String value = JoinTokens.PREFIX + "x".repeat(43);
    Path file = dir.resolve(JoinTokens.FILE);
    assertThat(tokens.valid(value)).isFalse(); // no file yet
    long exp = T0.plusSeconds(60).toEpochMilli();
    Files.writeString(file, JoinTokens.hash(value) + " " + exp + "\n", StandardCharsets.UTF_8);
    assertThat(tokens.valid(value)).isTrue();
    assertThat(tokens.valid(value)).isTrue(); // from what was read, the file unchanged
    Files.writeString(file, "# emptied in place\n", StandardCharsets.UTF_8); // same inode
    assertThat(tokens.valid(value)).isFalse();
    Files.writeString(file, JoinTokens.hash(value) + " " + exp + "\n", StandardCharsets.UTF_8);
    assertThat(tokens.valid(value)).isTrue();
    Files.delete(file);
    assertThat(tokens.valid(value)).isFalse();
  }

  @Test
  void revokingNeedsAnUnambiguousIdOfFourCharactersOrMore() throws Exception {
    JoinTokens tokens = new JoinTokens(dir, clock);
    String h1 = "abcd1111" + "0".repeat(56);
    String h2 = "abcd2222" + "0".repeat(56);
    long exp = T0.plusSeconds(60).toEpochMilli();
    Files.writeString(
        dir.resolve(JoinTokens.FILE),
        "# sha256 expires-at-epoch-ms\n" + h1 + " " + exp + "\n" + h2 + " " + exp + "\ndamaged\n",
        StandardCharsets.UTF_8);
    assertThat(tokens.list())
        .extracting(JoinTokens.JoinToken::id, JoinTokens.JoinToken::createdAt)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("abcd11110000", null),
            org.assertj.core.groups.Tuple.tuple("abcd22220000", null));
    assertThatThrownBy(() -> tokens.revoke("abc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 4 characters");
    assertThatThrownBy(() -> tokens.revoke("abcd"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("matches 2 tokens: abcd11110000, abcd22220000");
    assertThat(tokens.revoke("ABCD2")).map(JoinTokens.JoinToken::id).hasValue("abcd22220000");
    assertThat(tokens.list()).extracting(JoinTokens.JoinToken::id).containsExactly("abcd11110000");
  }

  @Test
  void theTtlMustBePositiveAndAtMostAYear() {
    JoinTokens tokens = new JoinTokens(dir, clock);
    for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofDays(366)}) {
      assertThatThrownBy(() -> tokens.create(bad, "admin"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("ttl: must be 1 second to 365 days");
    }
    assertThat(tokens.list()).isEmpty();
  }
}
