-- Why a run did not end with an exit code of its own (FAILED_TO_START, LOST...), or NULL.
ALTER TABLE runs ADD COLUMN error VARCHAR;
