package io.mschedule.master.store.jdbc;

class PostgresRelayStoreTest extends RelayStoreContractTest {
  @Override
  TestDatabase testDatabase() {
    return TestDatabase.POSTGRES;
  }
}
