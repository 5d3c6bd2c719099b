-- Relays (docs/datacenters.md): one per datacenter, carrying its agents' traffic over one session.
-- Times are epoch milliseconds of the master's clock.
CREATE TABLE relays (
    id           VARCHAR(32)  NOT NULL PRIMARY KEY,
    datacenter   VARCHAR(63),
    address      VARCHAR(300),
    version      VARCHAR(64),
    spool_bytes  BIGINT       NOT NULL,
    first_seen   BIGINT       NOT NULL,
    last_seen    BIGINT       NOT NULL
);
