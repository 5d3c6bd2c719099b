-- fail_rate and fail_count may be unset (NULL): each threshold works on its own.
ALTER TABLE tasks ALTER COLUMN fail_rate DROP NOT NULL;
ALTER TABLE tasks ALTER COLUMN fail_count DROP NOT NULL;
