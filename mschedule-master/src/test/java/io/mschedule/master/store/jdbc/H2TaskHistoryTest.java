package io.mschedule.master.store.jdbc;

class H2TaskHistoryTest extends TaskHistoryContractTest {
  @Override
  TestDatabase testDatabase() {
    return TestDatabase.H2;
  }
}
