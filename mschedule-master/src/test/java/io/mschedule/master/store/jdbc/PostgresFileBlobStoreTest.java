package io.mschedule.master.store.jdbc;

class PostgresFileBlobStoreTest extends FileBlobStoreContractTest {
  @Override
  TestDatabase testDatabase() {
    return TestDatabase.POSTGRES;
  }
}
