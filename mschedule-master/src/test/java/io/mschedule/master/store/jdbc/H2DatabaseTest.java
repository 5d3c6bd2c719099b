package io.mschedule.master.store.jdbc;

class H2DatabaseTest extends DatabaseContractTest {
  @Override
  TestDatabase testDatabase() {
    return TestDatabase.H2;
  }
}
