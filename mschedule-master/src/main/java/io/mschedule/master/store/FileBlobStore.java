package io.mschedule.master.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * File contents in the database, by SHA-256, for masters that share it: the master that took an
 * upload puts the content here; a master whose agent needs a file it does not have reads it from
 * here into its own store.
 */
public interface FileBlobStore {
  /** Stores the content of {@code file} under {@code sha256}, unless it is there already. */
  void put(String sha256, Path file) throws IOException;

  /** True when the content is stored. */
  boolean has(String sha256);

  /** The content, read a chunk at a time as the stream is read; empty when it is not stored. */
  Optional<InputStream> open(String sha256);
}
