package io.mschedule.master.store;

import java.util.Optional;

/** What files were uploaded: one row per content (SHA-256). */
public interface FileCatalog {
  /** Records an upload; a content already recorded keeps its first record. */
  void add(FileRecord file);

  Optional<FileRecord> find(String sha256);
}
