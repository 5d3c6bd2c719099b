package io.mschedule.agent.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/** The agent's permanent id: a UUID as 32 hex characters, kept in {@code <data-dir>/myid}. */
public final class AgentIdentity {
  public static final String FILE = "myid";

  private AgentIdentity() {}

  /** Reads the id, creating and saving a new one on first start. */
  public static String loadOrCreate(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    try {
      if (Files.exists(file)) {
        String id = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (!id.matches("[0-9a-fA-F]{32}")) {
          throw new IllegalStateException(
              file + ": expected a 32-character hex id, found '" + id + "'");
        }
        return id.toLowerCase();
      }
      Files.createDirectories(dataDir);
      String id = UUID.randomUUID().toString().replace("-", "");
      Path tmp = Files.createTempFile(dataDir, FILE, ".tmp");
      Files.writeString(tmp, id + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      return id;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create " + file, e);
    }
  }
}
