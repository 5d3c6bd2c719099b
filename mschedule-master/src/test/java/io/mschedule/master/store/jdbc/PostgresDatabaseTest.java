package io.mschedule.master.store.jdbc;

class PostgresDatabaseTest extends DatabaseContractTest {
  @Override
  TestDatabase testDatabase() {
    return TestDatabase.POSTGRES;
  }
}
