package io.mschedule.master.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DialectTest {
  @Test
  void dialect_follows_the_jdbc_url() {
    assertThat(Dialect.forUrl("jdbc:h2:mem:x")).isInstanceOf(H2Dialect.class);
    assertThat(Dialect.forUrl("jdbc:h2:file:/var/lib/mschedule/mschedule"))
        .isInstanceOf(H2Dialect.class);
    assertThat(Dialect.forUrl("jdbc:postgresql://db:5432/mschedule"))
        .isInstanceOf(PostgresDialect.class);
  }

  @Test
  void unsupported_url_is_rejected_by_name_without_its_parameters() {
    assertThatThrownBy(() -> Dialect.forUrl("jdbc:mysql://db/mschedule?password=secret"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("jdbc:mysql://db/mschedule")
        .hasMessageNotContaining("secret");
  }

  @Test
  void unsupported_url_fails_before_any_connection() {
    assertThatThrownBy(
            () -> Database.open(new DatabaseConfig("jdbc:sqlite:/tmp/x.db", null, null, 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("jdbc:sqlite:/tmp/x.db");
  }

  @Test
  void each_dialect_has_its_own_migration_folder() {
    assertThat(new H2Dialect().migrationLocation()).isEqualTo("classpath:db/migration/h2");
    assertThat(new PostgresDialect().migrationLocation())
        .isEqualTo("classpath:db/migration/postgresql");
  }

  @Test
  void embedded_url_is_an_absolute_h2_file_in_the_data_directory() {
    var url = Database.embeddedUrl(Path.of("data"));

    assertThat(url)
        .startsWith("jdbc:h2:file:" + Path.of("data").toAbsolutePath().resolve("mschedule") + ";")
        .contains("DB_CLOSE_ON_EXIT=FALSE");
    assertThat(Dialect.forUrl(url)).isInstanceOf(H2Dialect.class);
  }

  @Test
  void config_is_checked_and_hides_the_password() {
    assertThatThrownBy(() -> new DatabaseConfig("jdbc:h2:mem:x", "sa", "", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxPoolSize");
    assertThatThrownBy(() -> new DatabaseConfig(" ", "sa", "", 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new DatabaseConfig("jdbc:postgresql://db/m?password=pw", "u", "pw", 2).toString())
        .doesNotContain("pw");
  }
}
