package io.mschedule.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.mschedule.cli.client.MasterClient;
import io.mschedule.cli.client.Parallel;
import io.mschedule.cli.client.Task;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mschedule schedule ...}: run jobs on cron expressions. */
@Command(
    name = "schedule",
    mixinStandardHelpOptions = true,
    description = {
      "Schedules: a job run on a cron expression in a time zone.",
      "Adding, pausing, resuming and deleting need an admin token; trigger an operator one."
    },
    subcommands = {
      ScheduleCommand.Add.class,
      ScheduleCommand.ListSchedules.class,
      ScheduleCommand.Show.class,
      ScheduleCommand.Pause.class,
      ScheduleCommand.Resume.class,
      ScheduleCommand.Delete.class,
      ScheduleCommand.Next.class,
      ScheduleCommand.Trigger.class
    })
public final class ScheduleCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(),
        "Missing command: add, list, show, pause, resume, delete, next or trigger");
  }

  static String path(String name) {
    return "/api/v1/schedules/" + MasterClient.pathSegment(name);
  }

  /** {@code mschedule schedule add}. */
  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Add a schedule. EXPR is a standard 5-field cron expression (minute hour day month"
            + " weekday) or 6 fields with seconds first; it is read on the wall clock of --tz."
      },
      footer = {
        "",
        "Examples:",
        "  mschedule schedule add nightly --job backup --cron '30 2 * * *' --tz Europe/Berlin \\",
        "      -t role=db -e MODE=full --concurrency forbid",
        "  mschedule schedule add ping --job ping@2 --cron '*/10 * * * * *' --misfire once \\",
        "      --starting-deadline 60"
      })
  static final class Add implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ServerOptions server;

    @Parameters(index = "0", paramLabel = "NAME", description = "The schedule's name.")
    String name;

    @Option(
        names = "--job",
        required = true,
        paramLabel = "JOB[@N]",
        description = "The job to run (without @N: its newest version at each slot).")
    String job;

    @Option(names = "--cron", required = true, paramLabel = "EXPR", description = "When.")
    String cron;

    @Option(
        names = "--tz",
        paramLabel = "ZONE",
        description = "Time zone of the expression, e.g. Europe/Berlin (default: UTC).")
    String tz;

    @Option(
        names = {"-t", "--target"},
        paramLabel = "TARGET",
        description = "Where to run (repeatable; union). Default: all.")
    List<String> targets = new ArrayList<>();

    @Option(
        names = {"-p", "--parallel"},
        paramLabel = "N|N%",
        converter = ParallelConverter.class,
        description = "Runs in flight at once (master default: 1).")
    Parallel parallel;

    @Option(names = "--fail-rate", paramLabel = "R", description = "As with run.")
    Double failRate;

    @Option(names = "--fail-count", paramLabel = "N", description = "As with run.")
    Integer failCount;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "As with run.")
    Integer timeout;

    @Mixin RetryOptions retry;

    @Option(
        names = {"-e", "--env"},
        paramLabel = "KEY=VALUE",
        description = "A parameter for the script (repeatable).")
    List<String> env = new ArrayList<>();

    @Option(
        names = "--concurrency",
        paramLabel = "allow|forbid|replace",
        description =
            "While the previous task still runs: start anyway (allow, default), skip the slot"
                + " (forbid), or kill it first (replace).")
    String concurrency;

    @Option(
        names = "--misfire",
        paramLabel = "skip|once",
        description =
            "Slots missed while no master ran: drop them (skip, default) or run the newest once"
                + " (once).")
    String misfire;

    @Option(
        names = "--starting-deadline",
        paramLabel = "SECONDS",
        description = "How late a slot may still start (default: no limit for catch-ups).")
    Integer startingDeadline;

    @Option(names = "--json", description = "Print the schedule as JSON.")
    boolean json;

    @Override
    public Integer call() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("name", name);
      body.put("job", job);
      body.put("cron", cron);
      putIfSet(body, "tz", tz);
      body.put("targets", targets.isEmpty() ? List.of("all") : targets);
      putIfSet(body, "parallel", parallel);
      putIfSet(body, "fail_rate", failRate);
      putIfSet(body, "fail_count", failCount);
      putIfSet(body, "timeout", timeout);
      retry.putInto(body);
      Map<String, String> e = EnvOptions.parse(env, spec.commandLine());
      if (!e.isEmpty()) {
        body.put("env", e);
      }
      putIfSet(body, "concurrency", concurrency);
      putIfSet(body, "misfire", misfire);
      putIfSet(body, "starting_deadline", startingDeadline);
      JsonNode s = server.client().postForJson("/api/v1/schedules", body);
      print(spec.commandLine().getOut(), s, json);
      return ExitCodes.OK;
    }

    private static void putIfSet(Map<String, Object> body, String key, Object value) {
      if (value != null) {
        body.put(key, value);
      }
    }
  }

  /** {@code mschedule schedule list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List schedules.")
  static final class ListSchedules implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ServerOptions server;

    @Option(names = "--json", description = "Print the schedules as a JSON array.")
    boolean json;

    @Override
    public Integer call() {
      JsonNode all = server.client().getJson("/api/v1/schedules");
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        JsonOutput.print(out, all);
        return ExitCodes.OK;
      }
      if (all.isEmpty()) {
        spec.commandLine().getErr().println("no schedules");
        return ExitCodes.OK;
      }
      TableFormatter t = new TableFormatter("NAME", "JOB", "CRON", "TZ", "STATE", "NEXT");
      for (JsonNode s : all) {
        t.row(
            s.path("name").asText(),
            jobRef(s),
            s.path("cron").asText(),
            s.path("tz").asText(),
            s.path("paused").asBoolean() ? "paused" : "active",
            JobCommand.time(s.path("next_slot")));
      }
      out.print(t.render());
      out.flush();
      return ExitCodes.OK;
    }
  }

  /** {@code mschedule schedule show}. */
  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a schedule.")
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ServerOptions server;

    @Parameters(index = "0", paramLabel = "NAME", description = "The schedule's name.")
    String name;

    @Option(names = "--json", description = "Print the schedule as JSON.")
    boolean json;

    @Override
    public Integer call() {
      print(spec.commandLine().getOut(), server.client().getJson(path(name)), json);
      return ExitCodes.OK;
    }
  }

  /** {@code mschedule schedule pause}. */
  @Command(
      name = "pause",
      mixinStandardHelpOptions = true,
      description = "Pause a schedule: no task until it is resumed.")
  static final class Pause implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ServerOptions server;

    @Parameters(index = "0", paramLabel = "NAME", description = "The schedule's name.")
    String name;

    @Override
    public Integer call() {
      server.client().postForJson(path(name) + "/pause", Map.of());
      spec.commandLine().getOut().println("schedule " + name + " paused");
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
  }

  /** {@code mschedule schedule resume}. */
  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      description = "Resume a schedule from the first slot after now (paused slots are dropped).")
  static final class Resume implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ServerOptions server;

    @Parameters(index = "0", paramLabel = "NAME", description = "The schedule's name.")
    String name;

    @Override
    public Integer call() {
      JsonNode s = server.client().postForJson(path(name) + "/resume", Map.of());
      spec.commandLine()
          .getOut()
          .println(
              "schedule " + name + " resumed; next slot " + JobCommand.time(s.path("next_slot")));
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
  }

  /** {@code mschedule schedule delete}. */
  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete a schedule (its tasks stay).")
  static final class Delete implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ServerOptions server;

    @Parameters(index = "0", paramLabel = "NAME", description = "The schedule's name.")
    String name;

    @Override
    public Integer call() {
      server.client().delete(path(name));
      spec.commandLine().getOut().println("schedule " + name + " deleted");
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
  }

  /** {@code mschedule schedule next}. */
  @Command(
      name = "next",
      mixinStandardHelpOptions = true,
      description = "Print the next slots of a schedule (ISO-8601, UTC).")
  static final class Next implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ServerOptions server;

    @Parameters(index = "0", paramLabel = "NAME", description = "The schedule's name.")
    String name;

    @Option(
        names = "-n",
        paramLabel = "N",
        defaultValue = "5",
        description = "How many (default: ${DEFAULT-VALUE}).")
    int count;

    @Override
    public Integer call() {
      JsonNode slots = server.client().getJson(path(name) + "/next?n=" + count);
      PrintWriter out = spec.commandLine().getOut();
      for (JsonNode s : slots) {
        out.println(s.asText());
      }
      out.flush();
      return ExitCodes.OK;
    }
  }

  /** {@code mschedule schedule trigger}. */
  @Command(
      name = "trigger",
      mixinStandardHelpOptions = true,
      description = "Start a task of the schedule now, outside its slots; prints the task id.")
  static final class Trigger implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ServerOptions server;

    @Parameters(index = "0", paramLabel = "NAME", description = "The schedule's name.")
    String name;

    @Option(names = "--json", description = "Print the task as JSON.")
    boolean json;

    @Override
    public Integer call() {
      Task t = server.client().triggerSchedule(name);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        JsonOutput.print(out, t);
      } else {
        out.println(t.id());
        out.flush();
      }
      return ExitCodes.OK;
    }
  }

  private static String jobRef(JsonNode s) {
    return s.path("job").asText()
        + (s.path("job_version").isNull() || s.path("job_version").isMissingNode()
            ? ""
            : "@" + s.path("job_version").asInt());
  }

  private static void print(PrintWriter out, JsonNode s, boolean json) {
    if (json) {
      JsonOutput.print(out, s);
      return;
    }
    out.println("name:        " + s.path("name").asText());
    out.println("job:         " + jobRef(s));
    out.println("cron:        " + s.path("cron").asText() + " (" + s.path("tz").asText() + ")");
    out.println("targets:     " + String.join(",", strings(s.path("targets"))));
    out.println("concurrency: " + s.path("concurrency").asText());
    out.println(
        "misfire:     "
            + s.path("misfire").asText()
            + (s.path("starting_deadline").isNull()
                ? ""
                : " (starting deadline " + s.path("starting_deadline").asInt() + " s)"));
    if (s.path("env").size() > 0) {
      out.println("env:         " + String.join(" ", envPairs(s.path("env"))));
    }
    out.println("state:       " + (s.path("paused").asBoolean() ? "paused" : "active"));
    out.println("next slot:   " + JobCommand.time(s.path("next_slot")));
    out.flush();
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static List<String> envPairs(JsonNode env) {
    List<String> out = new ArrayList<>();
    env.fields().forEachRemaining(e -> out.add(e.getKey() + "=" + e.getValue().asText()));
    return out;
  }
}
