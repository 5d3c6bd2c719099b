package io.mschedule.master.store.jdbc;

class PostgresRunOrderStoreTest extends RunOrderStoreContractTest {
  @Override
  TestDatabase testDatabase() {
    return TestDatabase.POSTGRES;
  }
}
