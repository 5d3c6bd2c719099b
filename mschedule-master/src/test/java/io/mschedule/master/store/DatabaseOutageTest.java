package io.mschedule.master.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.mschedule.master.store.jdbc.StoreException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class DatabaseOutageTest {
  @Test
  void a_pool_that_cannot_connect_is_an_outage() {
    var e =
        new StoreException(
            "database error",
            new SQLTransientConnectionException("mschedule-db - Connection is not available"));
    assertThat(DatabaseOutage.is(e)).isTrue();
    assertThat(DatabaseOutage.message(e)).isEqualTo("the database is unavailable: database error");
  }

  @Test
  void connection_and_shutdown_sql_states_are_outages() {
    assertThat(DatabaseOutage.is(new StoreException("x", new SQLException("refused", "08001"))))
        .isTrue();
    assertThat(
            DatabaseOutage.is(
                new StoreException("x", new SQLException("terminating connection", "57P01"))))
        .isTrue();
  }

  @Test
  void other_database_errors_are_not() {
    assertThat(
            DatabaseOutage.is(
                new StoreException("x", new SQLException("duplicate key value", "23505"))))
        .isFalse();
    assertThat(DatabaseOutage.is(new StoreException("x", new SQLException("no state")))).isFalse();
  }
}
