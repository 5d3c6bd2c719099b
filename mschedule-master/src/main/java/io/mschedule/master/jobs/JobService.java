package io.mschedule.master.jobs;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import io.mschedule.master.dispatch.JobScripts;
import io.mschedule.master.store.JobStore;
import io.mschedule.master.store.JobVersion;
import io.mschedule.master.task.BadRequestException;
import io.mschedule.master.task.ScriptHash;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

/** Pushes, reads, compares and rolls back job versions; finds the script a task runs. */
public final class JobService implements JobScripts {
  private final JobStore store;
  private final Clock clock;
  private final int maxScriptBytes;

  public JobService(JobStore store, Clock clock, int maxScriptBytes) {
    this.store = store;
    this.clock = clock;
    this.maxScriptBytes = maxScriptBytes;
  }

  /** A new version of {@code name} with {@code script}, or the newest when it is unchanged. */
  public JobStore.Pushed push(String name, String script, String by, String message) {
    JobRef.checkName(name, "name");
    if (script == null || script.isBlank()) {
      throw new BadRequestException("script", "script: required and must not be empty");
    }
    int size = script.getBytes(StandardCharsets.UTF_8).length;
    if (size > maxScriptBytes) {
      throw new BadRequestException(
          "script", "script: " + size + " bytes is over the limit of " + maxScriptBytes + " bytes");
    }
    if (message != null && message.length() > 1000) {
      throw new BadRequestException("message", "message: over 1000 characters");
    }
    return store.push(name, script, ScriptHash.of(script), by, message, clock.instant());
  }

  /** A new version with version {@code to}'s script; history stays linear. */
  public JobStore.Pushed rollback(String name, int to, String by) {
    JobVersion v = version(name, to);
    return store.push(
        name, script(v), v.sha256(), by, "rollback to version " + to, clock.instant());
  }

  /**
   * Deletes a job that no task ran and no schedule names.
   *
   * @throws NotFound when there is no such job
   * @throws InUse when a task or a schedule uses it
   */
  public void delete(String name) {
    switch (store.delete(name)) {
      case DELETED -> {}
      case NOT_FOUND -> throw new NotFound("job " + name);
      case IN_USE ->
          throw new InUse(
              "job "
                  + name
                  + " is in use: a task ran one of its versions or a schedule names it;"
                  + " versions in use are never deleted");
    }
  }

  public List<JobVersion> jobs() {
    return store.jobs();
  }

  /**
   * @throws NotFound when the job does not exist
   */
  public List<JobVersion> versions(String name) {
    List<JobVersion> all = store.versions(name);
    if (all.isEmpty()) {
      throw new NotFound("job " + name);
    }
    return all;
  }

  /** The version {@code ref} names (the newest when it names none). */
  public JobVersion version(JobRef ref) {
    return ref.version() == null
        ? store.latest(ref.name()).orElseThrow(() -> new NotFound("job " + ref.name()))
        : version(ref.name(), ref.version());
  }

  public JobVersion version(String name, int number) {
    return store
        .version(name, number)
        .orElseThrow(
            () ->
                new NotFound(
                    store.latest(name).isEmpty()
                        ? "job " + name
                        : "version " + number + " of job " + name));
  }

  public String script(JobVersion v) {
    return store
        .script(v.sha256())
        .orElseThrow(() -> new IllegalStateException("script " + v.sha256() + " is missing"));
  }

  /** A unified diff from version {@code from} to version {@code to} (empty when equal). */
  public String diff(String name, int from, int to) {
    JobVersion a = version(name, from);
    JobVersion b = version(name, to);
    List<String> left = lines(script(a));
    List<String> right = lines(script(b));
    List<String> out =
        UnifiedDiffUtils.generateUnifiedDiff(
            name + "@" + from, name + "@" + to, left, DiffUtils.diff(left, right), 3);
    return out.isEmpty() ? "" : String.join("\n", out) + "\n";
  }

  private static List<String> lines(String s) {
    return Arrays.asList(s.split("\n", -1));
  }

  @Override
  public JobScript resolve(String ref) {
    JobRef r = JobRef.parse(ref, "job");
    JobVersion v;
    try {
      v = version(r);
    } catch (NotFound e) {
      throw new BadRequestException("job", "job: " + e.getMessage());
    }
    return new JobScript(v.job(), v.version(), script(v));
  }

  /** A job that tasks or schedules use. */
  public static final class InUse extends RuntimeException {
    public InUse(String message) {
      super(message);
    }
  }

  /** A job or version that does not exist. */
  public static final class NotFound extends RuntimeException {
    public NotFound(String what) {
      super(what + " not found");
    }
  }
}
