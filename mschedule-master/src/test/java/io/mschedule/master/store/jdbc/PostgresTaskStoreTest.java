package io.mschedule.master.store.jdbc;

class PostgresTaskStoreTest extends TaskStoreContractTest {
  @Override
  TestDatabase testDatabase() {
    return TestDatabase.POSTGRES;
  }
}
