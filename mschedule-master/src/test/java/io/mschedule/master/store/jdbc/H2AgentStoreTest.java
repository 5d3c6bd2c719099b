package io.mschedule.master.store.jdbc;

class H2AgentStoreTest extends AgentStoreContractTest {
  @Override
  TestDatabase testDatabase() {
    return TestDatabase.H2;
  }
}
