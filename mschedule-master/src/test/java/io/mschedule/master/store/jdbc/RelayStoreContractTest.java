package io.mschedule.master.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.mschedule.master.store.RelayRecord;
import io.mschedule.master.store.RelayStore;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The relays table. */
abstract class RelayStoreContractTest extends StoreContractSupport {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private RelayStore relays;

  @BeforeEach
  void store() {
    relays = db.relayStore();
  }

  @Test
  void a_relay_saved_twice_keeps_its_first_seen_and_takes_the_new_fields() {
    relays.save(new RelayRecord("r1", "east", "tcp://a:1", "0.1", 0, T0, T0));
    relays.save(
        new RelayRecord(
            "r1", "west", "tcp://b:2", "0.2", 5, T0.plusSeconds(60), T0.plusSeconds(60)));
    assertThat(relays.all())
        .containsExactly(
            new RelayRecord("r1", "west", "tcp://b:2", "0.2", 5, T0, T0.plusSeconds(60)));
  }

  @Test
  void seen_moves_last_seen_forward_only() {
    relays.save(new RelayRecord("r2", null, null, null, 0, T0, T0.plusSeconds(10)));
    relays.seen("r2", 42, T0.plusSeconds(5));
    assertThat(relays.all().get(0).lastSeen()).isEqualTo(T0.plusSeconds(10));
    relays.seen("r2", 42, T0.plusSeconds(20));
    assertThat(relays.all().get(0).lastSeen()).isEqualTo(T0.plusSeconds(20));
    assertThat(relays.all().get(0).spoolBytes()).isEqualTo(42);
  }
}
