package io.mschedule.master.store.jdbc;

class PostgresSecurityTablesTest extends SecurityTablesContractTest {
  @Override
  TestDatabase testDatabase() {
    return TestDatabase.POSTGRES;
  }
}
