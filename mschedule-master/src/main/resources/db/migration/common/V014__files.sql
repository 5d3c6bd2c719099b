-- Files put on hosts (mschedule cp, run --file). The content lives in the master's data directory
-- (files/ab/abcd…, by SHA-256); this table records what was uploaded.
CREATE TABLE files (
    sha256      VARCHAR(64)   NOT NULL PRIMARY KEY,
    name        VARCHAR(255)  NOT NULL,
    size        BIGINT        NOT NULL,
    created_at  BIGINT        NOT NULL,
    created_by  VARCHAR(255)
);

-- The files of a task, in order. No foreign key to tasks: the retention purge deletes these rows
-- with their task.
CREATE TABLE task_files (
    task_id     VARCHAR(64)    NOT NULL,
    seq         INTEGER        NOT NULL,
    sha256      VARCHAR(64)    NOT NULL,
    name        VARCHAR(255)   NOT NULL,
    size        BIGINT         NOT NULL,
    dest        VARCHAR(4096)  NOT NULL,
    file_mode   VARCHAR(4),
    file_owner  VARCHAR(255),
    is_copy     BOOLEAN        NOT NULL,
    PRIMARY KEY (task_id, seq)
);

CREATE INDEX task_files_sha256 ON task_files (sha256);
