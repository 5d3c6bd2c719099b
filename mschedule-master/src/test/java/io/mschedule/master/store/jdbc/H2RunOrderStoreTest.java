package io.mschedule.master.store.jdbc;

class H2RunOrderStoreTest extends RunOrderStoreContractTest {
  @Override
  TestDatabase testDatabase() {
    return TestDatabase.H2;
  }
}
