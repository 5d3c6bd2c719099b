package io.mschedule.master.dispatch;

import io.mschedule.master.task.BadRequestException;

/** Finds the script of a job version for a submission that names a job instead of a script. */
public interface JobScripts {
  /** A version of a job and its script. */
  record JobScript(String job, int version, String script) {}

  /** No jobs: every job reference is refused. */
  JobScripts NONE =
      ref -> {
        throw new BadRequestException("job", "job: jobs are not available on this master");
      };

  /**
   * The script of {@code ref}, {@code NAME} (the newest version) or {@code NAME@N}.
   *
   * @throws BadRequestException naming {@code job} when the job or the version does not exist
   */
  JobScript resolve(String ref);
}
