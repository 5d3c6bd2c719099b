-- Jobs: a name and a linear history of immutable versions. A version names its script by content
-- (SHA-256, lower-case hex); each distinct script is stored once in job_scripts.
CREATE TABLE jobs (
    name        VARCHAR(255) NOT NULL PRIMARY KEY,
    created_at  BIGINT       NOT NULL,
    created_by  VARCHAR(255)
);

CREATE TABLE job_scripts (
    sha256   VARCHAR(64) NOT NULL PRIMARY KEY,
    content  VARCHAR     NOT NULL
);

CREATE TABLE job_versions (
    job         VARCHAR(255)  NOT NULL REFERENCES jobs (name),
    version     INTEGER       NOT NULL,
    sha256      VARCHAR(64)   NOT NULL REFERENCES job_scripts (sha256),
    created_at  BIGINT        NOT NULL,
    created_by  VARCHAR(255),
    message     VARCHAR(1000),
    PRIMARY KEY (job, version)  -- two concurrent pushes cannot take the same number
);

-- Schedules: a job run on a cron expression. last_slot is the newest slot already handled
-- (fired or skipped); slots before it are never looked at again.
CREATE TABLE schedules (
    name               VARCHAR(255)     NOT NULL PRIMARY KEY,
    job                VARCHAR(255)     NOT NULL REFERENCES jobs (name),
    job_version        INTEGER,          -- NULL: the newest version at each slot
    cron               VARCHAR(255)     NOT NULL,
    time_zone          VARCHAR(64)      NOT NULL,
    targets            VARCHAR          NOT NULL,  -- JSON array of strings
    parallel           VARCHAR(32),
    fail_rate          DOUBLE PRECISION,
    fail_count         INTEGER,
    timeout_seconds    INTEGER,
    env                VARCHAR,                    -- JSON object, string to string
    concurrency        VARCHAR(16)      NOT NULL,  -- ALLOW, FORBID, REPLACE
    misfire            VARCHAR(16)      NOT NULL,  -- SKIP, ONCE
    starting_deadline  INTEGER,                    -- seconds; NULL: none
    paused             BOOLEAN          NOT NULL,
    created_at         BIGINT           NOT NULL,
    created_by         VARCHAR(255),
    last_slot          BIGINT
);

-- What a task ran and where it came from.
ALTER TABLE tasks ADD COLUMN env VARCHAR;             -- JSON object, string to string
ALTER TABLE tasks ADD COLUMN job VARCHAR(255);
ALTER TABLE tasks ADD COLUMN job_version INTEGER;
ALTER TABLE tasks ADD COLUMN schedule_name VARCHAR(255);
ALTER TABLE tasks ADD COLUMN scheduled_for BIGINT;
ALTER TABLE tasks ADD COLUMN rerun_of VARCHAR(64);

-- One task per schedule and slot, whatever number of masters try (NULLs do not collide).
CREATE UNIQUE INDEX tasks_schedule_slot ON tasks (schedule_name, scheduled_for);
CREATE INDEX tasks_job ON tasks (job, job_version);
-- A version a task ran can never be deleted (rows without a job are not checked).
ALTER TABLE tasks ADD CONSTRAINT tasks_job_version
    FOREIGN KEY (job, job_version) REFERENCES job_versions (job, version);
