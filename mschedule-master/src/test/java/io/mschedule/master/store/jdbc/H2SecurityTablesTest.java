package io.mschedule.master.store.jdbc;

class H2SecurityTablesTest extends SecurityTablesContractTest {
  @Override
  TestDatabase testDatabase() {
    return TestDatabase.H2;
  }
}
