package io.mschedule.master.store.jdbc;

class H2JobStoreTest extends JobStoreContractTest {
  @Override
  TestDatabase testDatabase() {
    return TestDatabase.H2;
  }
}
