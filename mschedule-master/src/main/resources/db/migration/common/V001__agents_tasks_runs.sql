-- Portable SQL for H2 and PostgreSQL. Times are epoch milliseconds; lists and maps are JSON text.
-- Version numbers are shared by common/ and the dialect folders: a dialect-specific change takes a
-- version of its own and must exist in every dialect folder.

CREATE TABLE agents (
    id          VARCHAR(255) NOT NULL PRIMARY KEY,
    hostname    VARCHAR(255) NOT NULL,
    ip          VARCHAR      NOT NULL,  -- JSON array of strings
    labels      VARCHAR      NOT NULL,  -- JSON object, string to string
    version     VARCHAR(255),
    first_seen  BIGINT       NOT NULL,
    last_seen   BIGINT       NOT NULL
);

CREATE TABLE tasks (
    id               VARCHAR(64)      NOT NULL PRIMARY KEY,
    state            VARCHAR(16)      NOT NULL,
    reason           VARCHAR,
    script           VARCHAR          NOT NULL,
    targets          VARCHAR          NOT NULL,  -- JSON array of strings
    parallel         INTEGER          NOT NULL,
    fail_rate        DOUBLE PRECISION NOT NULL,
    fail_count       INTEGER          NOT NULL,
    timeout_seconds  INTEGER          NOT NULL,
    created_at       BIGINT           NOT NULL,
    finished_at      BIGINT,
    created_by       VARCHAR(255),
    stopping         VARCHAR(16)       -- ABORTED or KILLED while the task is being stopped
);

CREATE INDEX tasks_created_at ON tasks (created_at);
CREATE INDEX tasks_state ON tasks (state);

CREATE TABLE runs (
    task_id      VARCHAR(64)  NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    agent_id     VARCHAR(255) NOT NULL,
    hostname     VARCHAR(255),
    seq          INTEGER      NOT NULL,
    state        VARCHAR(16)  NOT NULL,
    code         INTEGER,
    truncated    BOOLEAN      NOT NULL,
    started_at   BIGINT,
    finished_at  BIGINT,
    PRIMARY KEY (task_id, agent_id)
);

-- Serves "runs of a task ordered by seq".
CREATE INDEX runs_task_id_seq ON runs (task_id, seq);
