package io.mschedule.master.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  @Test
  void the_delay_doubles_from_one_attempt_to_the_next() {
    RetryPolicy p = new RetryPolicy(5, 30);
    assertThat(p.delayAfter(1, 0)).isEqualTo(Duration.ofSeconds(30));
    assertThat(p.delayAfter(2, 0)).isEqualTo(Duration.ofSeconds(60));
    assertThat(p.delayAfter(3, 0)).isEqualTo(Duration.ofSeconds(120));
  }

  @Test
  void the_delay_is_capped_at_ten_minutes_however_many_attempts() {
    RetryPolicy p = new RetryPolicy(100, 60);
    assertThat(p.delayAfter(5, 0)).isEqualTo(Duration.ofMinutes(10));
    assertThat(p.delayAfter(100, 0)).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void the_jitter_takes_off_up_to_a_fifth() {
    RetryPolicy p = new RetryPolicy(3, 100);
    assertThat(p.delayAfter(1, 0.5)).isEqualTo(Duration.ofSeconds(90));
    assertThat(p.delayAfter(1, 0.999)).isGreaterThan(Duration.ofSeconds(80));
    assertThat(p.delayAfter(2, 0.25)).isEqualTo(Duration.ofSeconds(190));
  }

  @Test
  void retries_counts_the_attempts_after_the_first() {
    RetryPolicy p = new RetryPolicy(2, 0);
    assertThat(p.allowsAnother(1)).isTrue();
    assertThat(p.allowsAnother(2)).isTrue();
    assertThat(p.allowsAnother(3)).isFalse();
    assertThat(RetryPolicy.NONE.allowsAnother(1)).isFalse();
  }

  @Test
  void out_of_range_settings_are_refused_naming_the_setting() {
    assertThatThrownBy(() -> new RetryPolicy(-1, 0)).hasMessageStartingWith("retries:");
    assertThatThrownBy(() -> new RetryPolicy(1, 601)).hasMessageStartingWith("retry_delay:");
  }
}
