-- Several masters on one database (docs/high-availability.md). Times are epoch milliseconds of the
-- database's clock, never of a master's.

-- Every master that ever started on this database; a master whose heartbeat is older than its
-- master-dead-after is dead.
CREATE TABLE masters (
    id                VARCHAR(64)  NOT NULL PRIMARY KEY,
    agent_endpoint    VARCHAR(300) NOT NULL,
    api_url           VARCHAR(300) NOT NULL,
    started_at        BIGINT       NOT NULL,
    last_heartbeat    BIGINT       NOT NULL,
    agents_connected  INTEGER      NOT NULL,
    tasks_owned       INTEGER      NOT NULL
);

-- The master an unfinished task is driven by. epoch grows by one at every change of owner: a
-- write for the task checks the epoch its master holds, so a master that lost the lease (it was
-- paused or cut off past expires_at) changes nothing any more. kill_by: a kill asked for on
-- another master, for the holder to carry out.
CREATE TABLE task_leases (
    task_id     VARCHAR(64)  NOT NULL PRIMARY KEY REFERENCES tasks (id) ON DELETE CASCADE,
    master_id   VARCHAR(64)  NOT NULL,
    epoch       BIGINT       NOT NULL,
    expires_at  BIGINT       NOT NULL,
    kill_by     VARCHAR(255)
);

CREATE INDEX task_leases_master ON task_leases (master_id);

-- The master that holds the agent's connection (NULL: not known).
ALTER TABLE agents ADD COLUMN master_id VARCHAR(64);
