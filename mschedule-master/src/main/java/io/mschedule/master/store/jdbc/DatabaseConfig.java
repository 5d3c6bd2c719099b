package io.mschedule.master.store.jdbc;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the master keeps its state.
 *
 * @param url JDBC URL, {@code jdbc:h2:...} or {@code jdbc:postgresql:...}
 * @param user database user, or null when the URL or the driver supplies it
 * @param password database password, or null
 * @param maxPoolSize connections kept open at most, at least 1
 */
public record DatabaseConfig(String url, String user, String password, int maxPoolSize) {
  public static final int DEFAULT_MAX_POOL_SIZE = 8;

  public DatabaseConfig {
    Objects.requireNonNull(url, "url");
    if (url.isBlank()) {
      throw new IllegalArgumentException("database url must not be blank");
    }
    if (maxPoolSize < 1) {
      throw new IllegalArgumentException("maxPoolSize must be at least 1, was " + maxPoolSize);
    }
  }

  /** The default: an embedded H2 file database in {@code dataDir}. */
  public static DatabaseConfig embedded(Path dataDir) {
    return new DatabaseConfig(Database.embeddedUrl(dataDir), "sa", "", DEFAULT_MAX_POOL_SIZE);
  }

  @Override
  public String toString() {
    return "DatabaseConfig[url="
        + Dialect.redact(url)
        + ", user="
        + user
        + ", maxPoolSize="
        + maxPoolSize
        + "]";
  }
}
