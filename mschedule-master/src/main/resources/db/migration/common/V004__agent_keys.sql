-- CURVE public keys of agents, and the operator's decision on each (salt-key style).
CREATE TABLE agent_keys (
    agent_id    VARCHAR(255) NOT NULL PRIMARY KEY,
    public_key  VARCHAR(64)  NOT NULL,   -- Z85 text (40 characters); 'plain' for the compatibility listener
    state       VARCHAR(16)  NOT NULL,   -- PENDING, ACCEPTED, REJECTED
    first_seen  BIGINT       NOT NULL,
    decided_at  BIGINT,
    decided_by  VARCHAR(255)
);

CREATE INDEX agent_keys_public_key ON agent_keys (public_key);
