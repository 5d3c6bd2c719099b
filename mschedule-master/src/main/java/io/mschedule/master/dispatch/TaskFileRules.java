package io.mschedule.master.dispatch;

import io.mschedule.master.store.FileCatalog;
import io.mschedule.master.store.FileRecord;
import io.mschedule.master.task.BadRequestException;
import io.mschedule.master.task.FileRequest;
import io.mschedule.master.task.TaskFile;
import io.mschedule.master.task.TaskFiles;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Checks the files of a submission against what was uploaded and the rules for where they go: a
 * copy task puts each at an absolute path; a script's files are plain names in its work directory.
 */
public final class TaskFileRules {
  /** The most files one task may carry. */
  public static final int MAX_FILES = 64;

  private static final Pattern MODE = Pattern.compile("0?[0-7]{3}");
  private static final Pattern OWNER_PART = Pattern.compile("[A-Za-z0-9_.][A-Za-z0-9_.-]{0,31}");
  private static final int MAX_DEST = 4096;

  /** Name of the script in a run's work directory (the agent writes it there). */
  static final String SCRIPT_NAME = ".mschedule-script";

  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private final FileCatalog catalog;
  private final Predicate<String> stored;

  /**
   * @param catalog what was uploaded
   * @param stored whether the content of a SHA-256 is on the master's disk
   */
  public TaskFileRules(FileCatalog catalog, Predicate<String> stored) {
    this.catalog = catalog;
    this.stored = stored;
  }

  /** For masters that store no files: any file is refused. */
  public static TaskFileRules none() {
    return new TaskFileRules(null, null);
  }

  /** The task's files, or {@link TaskFiles#NONE}; errors name the field. */
  public TaskFiles resolve(List<FileRequest> files, boolean copy) {
    if (files.isEmpty()) {
      if (copy) {
        throw new BadRequestException("files", "files: a copy task needs at least one file");
      }
      return TaskFiles.NONE;
    }
    if (catalog == null) {
      throw new BadRequestException("files", "files: this master does not store files");
    }
    if (files.size() > MAX_FILES) {
      throw new BadRequestException(
          "files", "files: at most " + MAX_FILES + " files per task, got " + files.size());
    }
    List<TaskFile> out = new ArrayList<>();
    Set<String> dests = new HashSet<>();
    for (int i = 0; i < files.size(); i++) {
      FileRequest f = files.get(i);
      String field = "files[" + i + "]";
      if (f.sha256() == null || !SHA256.matcher(f.sha256()).matches()) {
        throw new BadRequestException(
            "files", field + ".sha256: expected 64 lower-case hex characters");
      }
      FileRecord record =
          catalog
              .find(f.sha256())
              .filter(r -> stored.test(r.sha256()))
              .orElseThrow(
                  () ->
                      new BadRequestException(
                          "files",
                          field
                              + ".sha256: no file "
                              + f.sha256()
                              + " on this master; upload it first (POST /api/v1/files)"));
      String dest = checkDest(field, f.dest(), copy);
      if (!dests.add(dest)) {
        throw new BadRequestException("files", field + ".dest: '" + dest + "' is listed twice");
      }
      out.add(
          new TaskFile(
              record.sha256(),
              record.name(),
              record.size(),
              dest,
              checkMode(field, f.mode()),
              checkOwner(field, f.owner())));
    }
    return new TaskFiles(out, copy);
  }

  private static String checkDest(String field, String dest, boolean copy) {
    if (dest == null || dest.isEmpty()) {
      throw new BadRequestException("files", field + ".dest: required");
    }
    if (dest.length() > MAX_DEST || dest.indexOf('\0') >= 0 || dest.indexOf('\n') >= 0) {
      throw new BadRequestException(
          "files", field + ".dest: at most " + MAX_DEST + " characters, no NUL or newline");
    }
    if (copy) {
      if (!dest.startsWith("/") || dest.endsWith("/")) {
        throw new BadRequestException(
            "files", field + ".dest: '" + clip(dest) + "' is not an absolute file path");
      }
      for (String part : dest.substring(1).split("/", -1)) {
        if (part.isEmpty() || part.equals(".") || part.equals("..")) {
          throw new BadRequestException(
              "files",
              field + ".dest: '" + clip(dest) + "' has an empty, '.' or '..' path segment");
        }
      }
      return dest;
    }
    if (dest.contains("/") || dest.equals(".") || dest.equals("..") || dest.equals(SCRIPT_NAME)) {
      throw new BadRequestException(
          "files",
          field
              + ".dest: '"
              + clip(dest)
              + "' must be a plain file name in the work directory (not '"
              + SCRIPT_NAME
              + "')");
    }
    return dest;
  }

  private static String checkMode(String field, String mode) {
    if (mode == null || mode.isEmpty()) {
      return null;
    }
    if (!MODE.matcher(mode).matches()) {
      throw new BadRequestException(
          "files", field + ".mode: '" + clip(mode) + "' is not octal permission bits like 0644");
    }
    return mode.length() == 3 ? "0" + mode : mode;
  }

  private static String checkOwner(String field, String owner) {
    if (owner == null || owner.isEmpty()) {
      return null;
    }
    String[] parts = owner.split(":", -1);
    boolean ok = parts.length <= 2;
    for (String p : parts) {
      ok &= OWNER_PART.matcher(p).matches();
    }
    if (!ok) {
      throw new BadRequestException(
          "files", field + ".owner: '" + clip(owner) + "' is not USER or USER:GROUP");
    }
    return owner;
  }

  private static String clip(String s) {
    return s.length() <= 100 ? s : s.substring(0, 100) + "…";
  }
}
