package io.mschedule.relay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Pattern;

/** The relay's permanent id, kept in {@code <data-dir>/relay-id} (32 lowercase hex characters). */
public final class RelayIdentity {
  private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");

  private RelayIdentity() {}

  public static String loadOrCreate(Path dataDir) {
    Path file = dataDir.resolve("relay-id");
    try {
      if (Files.exists(file)) {
        String id = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (!ID.matcher(id).matches()) {
          throw new IllegalStateException(
              file + " does not hold a relay id (32 lowercase hex characters)");
        }
        return id;
      }
      Files.createDirectories(dataDir);
      String id = UUID.randomUUID().toString().replace("-", "");
      Path tmp = file.resolveSibling("relay-id.tmp");
      Files.writeString(tmp, id + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return id;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create " + file, e);
    }
  }
}
