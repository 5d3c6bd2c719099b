package io.mschedule.master.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where API tokens live: by id, and by the SHA-256 of their secret. */
public interface TokenStore {
  /** Stores a new token with the hash of its secret. */
  void insert(ApiToken token, String secretHash);

  /** The token, revoked or not, whose secret has this hash. */
  Optional<ApiToken> findByHash(String secretHash);

  Optional<ApiToken> find(String id);

  /** Every token, oldest first. */
  List<ApiToken> all();

  /**
   * Marks the token revoked unless it already is.
   *
   * @return false when there is no such token or it was already revoked
   */
  boolean revoke(String id, Instant at, String by);

  /** The number of tokens with this role that are neither revoked nor expired at {@code now}. */
  int countActive(Role role, Instant now);

  /** Records that the token authenticated a request at {@code at}. */
  void touch(String id, Instant at);
}
