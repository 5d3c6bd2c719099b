package io.mschedule.agent.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.mschedule.agent.MasterEndpoint;
import java.util.List;
import org.junit.jupiter.api.Test;

class MasterRotationTest {
  private static final byte[] KEY = new byte[32];

  private static MasterRotation of(String... endpoints) {
    return new MasterRotation(
        java.util.Arrays.stream(endpoints).map(e -> new MasterEndpoint(e, KEY)).toList());
  }

  @Test
  void aFailedMasterHandsOverToTheNextAndOnlyAFullRoundBacksOff() {
    MasterRotation r = of("tcp://a:1", "tcp://b:1", "tcp://c:1");
    assertThat(r.current().endpoint()).isEqualTo("tcp://a:1");
    assertThat(r.failed()).isFalse();
    assertThat(r.current().endpoint()).isEqualTo("tcp://b:1");
    assertThat(r.failed()).isFalse();
    assertThat(r.current().endpoint()).isEqualTo("tcp://c:1");
    assertThat(r.failed()).isTrue(); // all three failed: back off before the next round
    assertThat(r.current().endpoint()).isEqualTo("tcp://a:1");
  }

  @Test
  void aGoodConnectionStartsANewRound() {
    MasterRotation r = of("tcp://a:1", "tcp://b:1");
    assertThat(r.failed()).isFalse();
    r.connected(); // b worked, then was lost
    assertThat(r.failed()).isFalse(); // a is tried at once
    assertThat(r.current().endpoint()).isEqualTo("tcp://a:1");
    assertThat(r.failed()).isTrue();
  }

  @Test
  void oneMasterBacksOffAfterEveryFailure() {
    MasterRotation r = of("tcp://a:1");
    assertThat(r.failed()).isTrue();
    assertThat(r.failed()).isTrue();
    assertThat(r.current().endpoint()).isEqualTo("tcp://a:1");
    assertThat(List.of(r.size())).containsExactly(1);
  }
}
