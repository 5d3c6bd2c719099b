package io.mschedule.master.store.jdbc;

class H2LiveOutputStoreTest extends LiveOutputStoreContractTest {
  @Override
  TestDatabase testDatabase() {
    return TestDatabase.H2;
  }
}
