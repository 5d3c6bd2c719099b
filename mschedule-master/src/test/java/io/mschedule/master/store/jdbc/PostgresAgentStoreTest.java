package io.mschedule.master.store.jdbc;

class PostgresAgentStoreTest extends AgentStoreContractTest {
  @Override
  TestDatabase testDatabase() {
    return TestDatabase.POSTGRES;
  }
}
