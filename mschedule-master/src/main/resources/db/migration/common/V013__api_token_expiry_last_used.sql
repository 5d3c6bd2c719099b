-- An API token's optional expiry (NULL: never expires) and when it was last used to authenticate
-- (NULL: never; written at most once a minute per token, so it is exact to the minute).
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT;
ALTER TABLE api_tokens ADD COLUMN last_used_at BIGINT;
