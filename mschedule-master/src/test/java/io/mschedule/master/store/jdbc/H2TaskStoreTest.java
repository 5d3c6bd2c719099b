package io.mschedule.master.store.jdbc;

class H2TaskStoreTest extends TaskStoreContractTest {
  @Override
  TestDatabase testDatabase() {
    return TestDatabase.H2;
  }
}
