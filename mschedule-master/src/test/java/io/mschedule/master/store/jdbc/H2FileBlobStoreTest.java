package io.mschedule.master.store.jdbc;

class H2FileBlobStoreTest extends FileBlobStoreContractTest {
  @Override
  TestDatabase testDatabase() {
    return TestDatabase.H2;
  }
}
