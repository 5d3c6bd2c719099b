package io.mschedule.master.dispatch;

import io.mschedule.master.agents.AgentRegistry;
import io.mschedule.master.agents.AgentView;
import io.mschedule.master.agents.TargetSelector;
import io.mschedule.master.audit.AuditLog;
import io.mschedule.master.store.AuditEntry;
import io.mschedule.master.task.BadRequestException;
import io.mschedule.master.task.DuplicateSlotException;
import io.mschedule.master.task.Parallelism;
import io.mschedule.master.task.RetryPolicy;
import io.mschedule.master.task.Run;
import io.mschedule.master.task.RunState;
import io.mschedule.master.task.Script;
import io.mschedule.master.task.Task;
import io.mschedule.master.task.TaskEnv;
import io.mschedule.master.task.TaskFiles;
import io.mschedule.master.task.TaskOrigin;
import io.mschedule.master.task.TaskRequest;
import io.mschedule.master.task.TaskState;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Validates a submission, stores the task with one run per target, and hands it to dispatch. */
public final class TaskService {
  private final AgentRegistry registry;
  private final TaskCoordinator coordinator;
  private final Clock clock;
  private final int maxScriptBytes;
  private final int maxTargets;
  private final String defaultParallel;
  private final JobScripts jobs;
  private final TaskFileRules fileRules;
  private final AuditLog audit;

  /**
   * The script of a copy task: agents that know copy orders do not run it; older ones run it and
   * say why they cannot copy.
   */
  public static final String COPY_FALLBACK_SCRIPT =
      "echo 'mschedule: this agent is too old to copy files; upgrade it' >&2\nexit 1\n";

  public TaskService(
      AgentRegistry registry,
      TaskCoordinator coordinator,
      Clock clock,
      int maxScriptBytes,
      int maxTargets,
      String defaultParallel) {
    this(
        registry, coordinator, clock, maxScriptBytes, maxTargets, defaultParallel, JobScripts.NONE);
  }

  public TaskService(
      AgentRegistry registry,
      TaskCoordinator coordinator,
      Clock clock,
      int maxScriptBytes,
      int maxTargets,
      String defaultParallel,
      JobScripts jobs) {
    this(
        registry,
        coordinator,
        clock,
        maxScriptBytes,
        maxTargets,
        defaultParallel,
        jobs,
        TaskFileRules.none(),
        AuditLog.NONE);
  }

  /**
   * @param audit where a submission is audited ({@code task.submit}, {@code task.rerun}): its entry
   *     is stored in the transaction that stores the task
   */
  public TaskService(
      AgentRegistry registry,
      TaskCoordinator coordinator,
      Clock clock,
      int maxScriptBytes,
      int maxTargets,
      String defaultParallel,
      JobScripts jobs,
      TaskFileRules fileRules,
      AuditLog audit) {
    this.audit = audit;
    this.jobs = jobs;
    this.fileRules = fileRules;
    this.registry = registry;
    this.coordinator = coordinator;
    this.clock = clock;
    this.maxScriptBytes = maxScriptBytes;
    this.maxTargets = maxTargets;
    this.defaultParallel = defaultParallel;
  }

  /** What {@code parallel} is when a submission does not say (setting {@code default-parallel}). */
  public String defaultParallel() {
    return defaultParallel;
  }

  /** {@link #submit(TaskRequest, String, String)} audited as done by {@code createdBy}. */
  public Task submit(TaskRequest req, String createdBy) {
    return submit(req, createdBy, createdBy);
  }

  /**
   * Validates and stores a task, audited in the same transaction ({@code task.rerun} for a rerun,
   * else {@code task.submit}, by {@code actor}), and hands it to dispatch.
   *
   * @throws BadRequestException naming the field at fault
   * @throws DuplicateSlotException when the request is for a schedule slot that already has its
   *     task
   */
  public Task submit(TaskRequest req, String createdBy, String actor) {
    if (req.job() != null) {
      if (req.script() != null) {
        throw new BadRequestException("job", "job: give either a script or a job, not both");
      }
      JobScripts.JobScript js = jobs.resolve(req.job());
      TaskOrigin from = req.origin() == null ? TaskOrigin.NONE : req.origin();
      req =
          req.withScript(
              Script.of(js.script()),
              new TaskOrigin(
                  js.job(), js.version(), from.schedule(), from.scheduledFor(), from.rerunOf()));
    }
    if (req.copy()) {
      if (req.job() != null
          || (req.script() != null && !req.script().text().equals(COPY_FALLBACK_SCRIPT))) {
        throw new BadRequestException("copy", "copy: a copy task runs no script or job");
      }
      req = req.withScript(Script.of(COPY_FALLBACK_SCRIPT), req.origin());
    }
    TaskFiles files = fileRules.resolve(req.files(), req.copy());
    Script script = req.script();
    if (script == null || script.isBlank()) {
      throw new BadRequestException("script", "script: required and must not be empty");
    }
    int size = script.size();
    if (size > maxScriptBytes) {
      throw new BadRequestException(
          "script", "script: " + size + " bytes is over the limit of " + maxScriptBytes + " bytes");
    }
    Double failRate = req.failRate();
    if (failRate != null && !(failRate >= 0 && failRate <= 1)) {
      throw new BadRequestException(
          "fail_rate", "fail_rate: must be between 0 and 1, got " + req.failRate());
    }
    Integer failCount = req.failCount();
    if (failCount != null && failCount < -1) {
      throw new BadRequestException(
          "fail_count", "fail_count: must be -1 (never abort) or >= 0, got " + failCount);
    }
    int timeout = req.timeout() == null ? 0 : req.timeout();
    if (timeout < 0) {
      throw new BadRequestException(
          "timeout", "timeout: must be >= 0 seconds (0 = none), got " + timeout);
    }
    RetryPolicy retry = retryPolicy(req.retries(), req.retryDelay());
    var env = TaskEnv.check(req.env());
    TaskOrigin origin = req.origin() == null ? TaskOrigin.NONE : req.origin();
    Object parallelSetting = req.parallel() == null ? defaultParallel : req.parallel();
    Parallelism.resolve(parallelSetting, 1); // syntax check before looking at targets
    List<String> targets = req.targets() == null ? List.of() : req.targets();
    List<AgentView> agents = TargetSelector.select(targets, registry);
    if (agents.size() > maxTargets) {
      throw new BadRequestException(
          "targets",
          "targets: " + agents.size() + " agents selected, over the limit of " + maxTargets);
    }
    int parallel = Parallelism.resolve(parallelSetting, agents.size());
    Instant now = clock.instant();
    String id = TaskIds.next(now);
    Task task =
        new Task(
            id,
            TaskState.PENDING,
            null,
            script,
            targets,
            parallel,
            failRate,
            failCount,
            timeout,
            now,
            null,
            createdBy,
            null,
            env,
            origin,
            files,
            retry);
    List<Run> runs = new ArrayList<>(agents.size());
    int seq = 0;
    for (AgentView a : agents) {
      runs.add(new Run(id, a.id(), a.hostname(), seq++, RunState.WAITING, null, false, null, null));
    }
    AuditEntry entry =
        audit.entry(
            actor,
            origin.rerunOf() == null ? "task.submit" : "task.rerun",
            id,
            submitDetail(task, runs.size()));
    Task stored = coordinator.submit(task, runs, entry);
    if (stored == null) {
      throw new DuplicateSlotException(origin.schedule(), origin.scheduledFor());
    }
    if (entry != null) {
      audit.stored(entry);
    }
    return stored;
  }

  /** What the audit log says about a new task: its script, job version and origin. */
  public static String submitDetail(Task t, int runs) {
    StringBuilder d = new StringBuilder("script sha256=").append(t.scriptSha256());
    if (t.origin().job() != null) {
      d.append(" job=").append(t.origin().job()).append('@').append(t.origin().jobVersion());
    }
    if (t.origin().schedule() != null) {
      d.append(" schedule=").append(t.origin().schedule());
      d.append(" slot=").append(t.origin().scheduledFor());
    }
    if (t.origin().rerunOf() != null) {
      d.append(" rerun_of=").append(t.origin().rerunOf());
    }
    if (!t.env().isEmpty()) {
      d.append(" env=").append(String.join(",", t.env().keySet()));
    }
    return d.append(" runs=").append(runs).toString();
  }

  /**
   * The retry settings of a submission; the delay defaults to {@link
   * RetryPolicy#DEFAULT_DELAY_SECONDS}.
   *
   * @throws BadRequestException naming {@code retries} or {@code retry_delay}
   */
  public static RetryPolicy retryPolicy(Integer retries, Integer retryDelay) {
    int n = retries == null ? 0 : retries;
    if (n < 0 || n > RetryPolicy.MAX_RETRIES) {
      throw new BadRequestException(
          "retries", "retries: must be between 0 and " + RetryPolicy.MAX_RETRIES + ", got " + n);
    }
    int delay = retryDelay == null ? RetryPolicy.DEFAULT_DELAY_SECONDS : retryDelay;
    long max = RetryPolicy.MAX_DELAY.toSeconds();
    if (delay < 0 || delay > max) {
      throw new BadRequestException(
          "retry_delay", "retry_delay: must be between 0 and " + max + " seconds, got " + delay);
    }
    return n == 0 && retryDelay == null ? RetryPolicy.NONE : new RetryPolicy(n, delay);
  }
}
