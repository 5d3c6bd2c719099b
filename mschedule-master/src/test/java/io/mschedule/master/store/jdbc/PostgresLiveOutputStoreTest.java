package io.mschedule.master.store.jdbc;

class PostgresLiveOutputStoreTest extends LiveOutputStoreContractTest {
  @Override
  TestDatabase testDatabase() {
    return TestDatabase.POSTGRES;
  }
}
