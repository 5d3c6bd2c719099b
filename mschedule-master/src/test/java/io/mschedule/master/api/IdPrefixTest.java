package io.mschedule.master.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class IdPrefixTest {
  private static final List<String> IDS =
      List.of("615f4029aa11", "615f9911bb22", "7000dddd", "web-01");

  @Test
  void aWholeIdIsTakenAsIs() {
    assertThat(IdPrefix.resolveIn("agent", "web-01", IDS)).isEqualTo("web-01");
    assertThat(IdPrefix.resolveIn("task", "7000dddd", IDS)).isEqualTo("7000dddd");
  }

  @Test
  void aUniquePrefixResolvesToItsId() {
    assertThat(IdPrefix.resolveIn("task", "615f4029", IDS)).isEqualTo("615f4029aa11");
    assertThat(IdPrefix.resolveIn("task", "615F40", IDS)).isEqualTo("615f4029aa11");
    assertThat(IdPrefix.resolveIn("task", "7000", IDS)).isEqualTo("7000dddd");
  }

  @Test
  void anAmbiguousPrefixIsAConflictNamingTheCandidates() {
    assertThatThrownBy(() -> IdPrefix.resolveIn("task", "615f", IDS))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(409))
        .hasMessage(
            "task id 615f is ambiguous: it matches 615f4029aa11, 615f9911bb22; give more of it");
  }

  @Test
  void noMatchOrATooShortPrefixIsNotFound() {
    assertThatThrownBy(() -> IdPrefix.resolveIn("task", "8888", IDS))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404))
        .hasMessage("task 8888 not found");
    assertThatThrownBy(() -> IdPrefix.resolveIn("task", "615", IDS))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
    assertThatThrownBy(() -> IdPrefix.resolveIn("agent", "web", IDS))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
  }

  @Test
  void aLongListOfCandidatesIsCut() {
    List<String> many =
        java.util.stream.IntStream.range(0, 30)
            .mapToObj(i -> String.format("abcd%04d", i))
            .toList();
    assertThatThrownBy(() -> IdPrefix.resolveIn("task", "abcd", many))
        .hasMessageContaining("abcd0009, …; give more of it")
        .hasMessageNotContaining("abcd0010");
  }
}
