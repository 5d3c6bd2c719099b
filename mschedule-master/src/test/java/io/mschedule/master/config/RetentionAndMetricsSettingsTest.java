package io.mschedule.master.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionAndMetricsSettingsTest {
  @TempDir Path dir;

  MasterConfig config(String... kv) {
    Map<String, String> s = new HashMap<>();
    s.put(MasterConfig.DATA_DIR, dir.toString());
    for (int i = 0; i < kv.length; i += 2) {
      s.put(kv[i], kv[i + 1]);
    }
    return MasterConfig.from(s);
  }

  @Test
  void history_is_kept_thirty_days_and_metrics_listener_is_off_by_default() {
    MasterConfig c = config();
    assertThat(c.retentionDays()).isEqualTo(30);
    assertThat(c.metricsHost()).isNull();
    assertThat(c.metricsPort()).isEqualTo(-1);
    assertThat(c.toString()).contains("retentionDays=30").contains("metricsBind=(off)");
  }

  @Test
  void retention_zero_keeps_forever_and_metrics_bind_is_host_and_port() {
    MasterConfig c =
        config(MasterConfig.RETENTION_DAYS, "0", MasterConfig.METRICS_BIND, "0.0.0.0:9464");
    assertThat(c.retentionDays()).isZero();
    assertThat(c.metricsHost()).isEqualTo("0.0.0.0");
    assertThat(c.metricsPort()).isEqualTo(9464);
  }

  @Test
  void bad_values_name_their_key() {
    assertThatThrownBy(() -> config(MasterConfig.RETENTION_DAYS, "-1"))
        .hasMessageStartingWith("retention-days:");
    assertThatThrownBy(() -> config(MasterConfig.RETENTION_DAYS, "a month"))
        .hasMessageStartingWith("retention-days:");
    assertThatThrownBy(() -> config(MasterConfig.METRICS_BIND, "9464"))
        .hasMessageStartingWith("metrics-bind:");
    assertThatThrownBy(() -> config(MasterConfig.METRICS_BIND, "host:70000"))
        .hasMessageStartingWith("metrics-bind:");
  }
}
