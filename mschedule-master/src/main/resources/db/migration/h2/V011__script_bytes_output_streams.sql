-- A script that is not valid UTF-8 (or holds NUL) is kept as bytes; NULL: the script is the
-- UTF-8 text in tasks.script.
ALTER TABLE tasks ADD COLUMN script_bytes BLOB;

-- Which bytes of a run's output came from stdout and which from stderr: the lengths of the
-- alternating runs, first stdout, comma-separated. NULL: everything is stdout.
ALTER TABLE run_output ADD COLUMN streams VARCHAR;
