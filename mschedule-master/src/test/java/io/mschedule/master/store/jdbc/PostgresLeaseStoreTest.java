package io.mschedule.master.store.jdbc;

class PostgresLeaseStoreTest extends LeaseStoreContractTest {
  @Override
  TestDatabase testDatabase() {
    return TestDatabase.POSTGRES;
  }
}
