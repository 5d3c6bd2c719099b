package io.mschedule.master.store.jdbc;

class PostgresJobStoreTest extends JobStoreContractTest {
  @Override
  TestDatabase testDatabase() {
    return TestDatabase.POSTGRES;
  }
}
