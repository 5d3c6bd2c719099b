package io.mschedule.master.store.jdbc;

import io.mschedule.master.store.RelayRecord;
import io.mschedule.master.store.RelayStore;
import java.time.Instant;
import java.util.List;

/** {@link RelayStore} over table {@code relays}. */
final class JdbcRelayStore implements RelayStore {
  private final JdbcRunner jdbc;

  JdbcRelayStore(JdbcRunner jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void save(RelayRecord r) {
    jdbc.inTransaction(
        s -> {
          int n =
              s.update(
                  "UPDATE relays SET datacenter = ?, address = ?, version = ?, spool_bytes = ?,"
                      + " last_seen = ? WHERE id = ?",
                  ps -> {
                    ps.setString(1, r.datacenter());
                    ps.setString(2, r.address());
                    ps.setString(3, r.version());
                    ps.setLong(4, r.spoolBytes());
                    ps.setLong(5, r.lastSeen().toEpochMilli());
                    ps.setString(6, r.id());
                  });
          if (n == 0) {
            s.update(
                "INSERT INTO relays (id, datacenter, address, version, spool_bytes, first_seen,"
                    + " last_seen) VALUES (?, ?, ?, ?, ?, ?, ?)",
                ps -> {
                  ps.setString(1, r.id());
                  ps.setString(2, r.datacenter());
                  ps.setString(3, r.address());
                  ps.setString(4, r.version());
                  ps.setLong(5, r.spoolBytes());
                  ps.setLong(6, r.firstSeen().toEpochMilli());
                  ps.setLong(7, r.lastSeen().toEpochMilli());
                });
          }
          return null;
        });
  }

  @Override
  public void seen(String id, long spoolBytes, Instant lastSeen) {
    jdbc.update(
        "UPDATE relays SET spool_bytes = ?, last_seen = ? WHERE id = ? AND last_seen < ?",
        ps -> {
          ps.setLong(1, spoolBytes);
          ps.setLong(2, lastSeen.toEpochMilli());
          ps.setString(3, id);
          ps.setLong(4, lastSeen.toEpochMilli());
        });
  }

  @Override
  public List<RelayRecord> all() {
    return jdbc.query(
        "SELECT id, datacenter, address, version, spool_bytes, first_seen, last_seen FROM relays"
            + " ORDER BY id",
        JdbcRunner.Params.NONE,
        rs ->
            new RelayRecord(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getLong(5),
                Instant.ofEpochMilli(rs.getLong(6)),
                Instant.ofEpochMilli(rs.getLong(7))));
  }
}
