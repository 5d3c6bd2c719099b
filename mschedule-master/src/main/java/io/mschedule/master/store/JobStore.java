package io.mschedule.master.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Jobs and their linear history of versions. Versions are never changed nor deleted. */
public interface JobStore {
  /**
   * The outcome of a push.
   *
   * @param created false when the script equals the newest version's (that version is returned)
   */
  record Pushed(JobVersion version, boolean created) {}

  /**
   * Adds a version with {@code script} to {@code job} (creating the job), numbered one more than
   * the newest; returns the newest version unchanged when it already has this script. Concurrent
   * pushes get consecutive numbers.
   */
  Pushed push(
      String job, String script, String sha256, String createdBy, String message, Instant at);

  /** Every job with its newest version, by name. */
  List<JobVersion> jobs();

  /** The versions of a job, oldest first (empty when the job does not exist). */
  List<JobVersion> versions(String job);

  Optional<JobVersion> version(String job, int version);

  Optional<JobVersion> latest(String job);

  /** What {@link #delete} did. */
  enum Deletion {
    DELETED,
    NOT_FOUND,
    /** A task ran one of its versions, or a schedule names the job: nothing was deleted. */
    IN_USE
  }

  /** Deletes a job and its versions, unless a task or a schedule uses it. */
  Deletion delete(String job);

  /** The script with this SHA-256. */
  Optional<String> script(String sha256);
}
