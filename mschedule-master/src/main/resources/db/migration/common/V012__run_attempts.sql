-- Retries: a task retries a run that failed, timed out or was lost up to `retries` more times on
-- the same agent, the first after `retry_delay` seconds (doubling, capped at 10 minutes).
ALTER TABLE tasks ADD COLUMN retries INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE tasks ADD COLUMN retry_delay INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE schedules ADD COLUMN retries INTEGER;      -- NULL: none
ALTER TABLE schedules ADD COLUMN retry_delay INTEGER;  -- NULL: the default

-- The run row holds its current (last) attempt; a retry waits in WAITING until retry_at.
ALTER TABLE runs ADD COLUMN attempt INTEGER DEFAULT 1 NOT NULL;
ALTER TABLE runs ADD COLUMN retry_at BIGINT;

-- The earlier attempts of retried runs (their output is not kept).
CREATE TABLE run_attempts (
    task_id      VARCHAR(64)  NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    agent_id     VARCHAR(255) NOT NULL,
    attempt      INTEGER      NOT NULL,
    state        VARCHAR(16)  NOT NULL,
    code         INTEGER,
    truncated    BOOLEAN      NOT NULL,
    started_at   BIGINT,
    finished_at  BIGINT,
    error        VARCHAR,
    late         BOOLEAN      NOT NULL,
    PRIMARY KEY (task_id, agent_id, attempt)
);
