package io.mschedule.master.store.jdbc;

class PostgresTaskHistoryTest extends TaskHistoryContractTest {
  @Override
  TestDatabase testDatabase() {
    return TestDatabase.POSTGRES;
  }
}
