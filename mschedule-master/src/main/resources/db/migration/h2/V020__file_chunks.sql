-- The contents of uploaded files, in chunks, when masters share the database: an agent fetches a
-- task's files from the master it is connected to, which may not be the one that took the upload.
-- That master copies the content from here into its own store on the first fetch.
CREATE TABLE file_chunks (
    sha256  VARCHAR(64) NOT NULL,
    seq     INTEGER     NOT NULL,
    data    BLOB        NOT NULL,
    PRIMARY KEY (sha256, seq)
);
