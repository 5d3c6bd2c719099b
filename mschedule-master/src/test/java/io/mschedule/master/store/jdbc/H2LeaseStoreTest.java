package io.mschedule.master.store.jdbc;

class H2LeaseStoreTest extends LeaseStoreContractTest {
  @Override
  TestDatabase testDatabase() {
    return TestDatabase.H2;
  }
}
