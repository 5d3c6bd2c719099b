package io.mschedule.master.store.jdbc;

class H2RelayStoreTest extends RelayStoreContractTest {
  @Override
  TestDatabase testDatabase() {
    return TestDatabase.H2;
  }
}
