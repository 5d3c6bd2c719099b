package io.mschedule.master.store.jdbc;

import io.mschedule.master.store.ApiToken;
import io.mschedule.master.store.Role;
import io.mschedule.master.store.TokenStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link TokenStore} over table {@code api_tokens}. */
final class JdbcTokenStore implements TokenStore {
  private static final String COLUMNS =
      "id, name, role, created_at, created_by, revoked_at, revoked_by, expires_at, last_used_at";

  private final JdbcRunner jdbc;

  JdbcTokenStore(JdbcRunner jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void insert(ApiToken t, String secretHash) {
    jdbc.update(
        "INSERT INTO api_tokens (id, name, role, token_hash, created_at, created_by, revoked_at,"
            + " revoked_by, expires_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ps -> {
          ps.setString(1, t.id());
          ps.setString(2, t.name());
          ps.setString(3, t.role().id());
          ps.setString(4, secretHash);
          Columns.setInstant(ps, 5, t.createdAt());
          ps.setString(6, t.createdBy());
          Columns.setInstant(ps, 7, t.revokedAt());
          ps.setString(8, t.revokedBy());
          Columns.setInstant(ps, 9, t.expiresAt());
          Columns.setInstant(ps, 10, t.lastUsedAt());
        });
  }

  @Override
  public Optional<ApiToken> findByHash(String secretHash) {
    return jdbc.queryOne(
        "SELECT " + COLUMNS + " FROM api_tokens WHERE token_hash = ?",
        ps -> ps.setString(1, secretHash),
        JdbcTokenStore::token);
  }

  @Override
  public Optional<ApiToken> find(String id) {
    return jdbc.queryOne(
        "SELECT " + COLUMNS + " FROM api_tokens WHERE id = ?",
        ps -> ps.setString(1, id),
        JdbcTokenStore::token);
  }

  @Override
  public List<ApiToken> all() {
    return jdbc.query(
        "SELECT " + COLUMNS + " FROM api_tokens ORDER BY created_at, id",
        JdbcRunner.Params.NONE,
        JdbcTokenStore::token);
  }

  @Override
  public boolean revoke(String id, Instant at, String by) {
    return jdbc.update(
            "UPDATE api_tokens SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS"
                + " NULL",
            ps -> {
              Columns.setInstant(ps, 1, at);
              ps.setString(2, by);
              ps.setString(3, id);
            })
        == 1;
  }

  @Override
  public int countActive(Role role, Instant now) {
    return jdbc.queryOne(
            "SELECT COUNT(*) FROM api_tokens WHERE role = ? AND revoked_at IS NULL"
                + " AND (expires_at IS NULL OR expires_at > ?)",
            ps -> {
              ps.setString(1, role.id());
              Columns.setInstant(ps, 2, now);
            },
            rs -> rs.getInt(1))
        .orElse(0);
  }

  @Override
  public void touch(String id, Instant at) {
    jdbc.update(
        "UPDATE api_tokens SET last_used_at = ? WHERE id = ?",
        ps -> {
          Columns.setInstant(ps, 1, at);
          ps.setString(2, id);
        });
  }

  private static ApiToken token(ResultSet rs) throws SQLException {
    String role = rs.getString("role");
    return new ApiToken(
        rs.getString("id"),
        rs.getString("name"),
        Role.parse(role).orElseThrow(() -> new SQLException("unknown role in api_tokens: " + role)),
        Columns.getInstant(rs, "created_at"),
        rs.getString("created_by"),
        Columns.getInstant(rs, "revoked_at"),
        rs.getString("revoked_by"),
        Columns.getInstant(rs, "expires_at"),
        Columns.getInstant(rs, "last_used_at"));
  }
}
