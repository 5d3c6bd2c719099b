-- Output of a run, as captured: arbitrary bytes, up to a few MiB.
CREATE TABLE run_output (
    task_id   VARCHAR(64)  NOT NULL,
    agent_id  VARCHAR(255) NOT NULL,
    data      BLOB         NOT NULL,
    PRIMARY KEY (task_id, agent_id),
    FOREIGN KEY (task_id, agent_id) REFERENCES runs (task_id, agent_id) ON DELETE CASCADE
);
