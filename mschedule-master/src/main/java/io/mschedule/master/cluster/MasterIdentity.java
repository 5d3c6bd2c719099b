package io.mschedule.master.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The master's id in the cluster: kept in {@code <data-dir>/master-id}, so a restarted master is
 * the same master (and keeps the tasks whose leases it still holds). Each master needs its own data
 * directory.
 */
public final class MasterIdentity {
  static final String FILE = "master-id";

  private MasterIdentity() {}

  public static String loadOrCreate(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    try {
      if (Files.isRegularFile(file)) {
        String id = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (id.matches("[A-Za-z0-9._-]{1,64}")) {
          return id;
        }
        throw new IllegalStateException(
            file
                + " does not hold a master id (up to 64 letters, digits, '.', '_' or '-'): delete"
                + " it and the master takes a new one");
      }
      String id = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
      Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
      return id;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write the master id in " + file, e);
    }
  }
}
