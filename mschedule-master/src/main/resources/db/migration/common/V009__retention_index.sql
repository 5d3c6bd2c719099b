-- Serves the retention purge: finished tasks oldest first.
CREATE INDEX tasks_finished_at ON tasks (finished_at);
