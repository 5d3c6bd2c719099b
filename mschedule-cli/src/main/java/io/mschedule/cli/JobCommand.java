package io.mschedule.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.mschedule.cli.client.MasterClient;
import java.io.InputStream;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mschedule job push|list|versions|show|diff|rollback}: versioned scripts. */
@Command(
    name = "job",
    mixinStandardHelpOptions = true,
    description = {
      "Jobs: named scripts with a linear history of immutable versions.",
      "Pushing the same script again makes no new version. Run one with"
          + " 'mschedule run --job NAME[@N]'. Pushing and rolling back need an admin token."
    },
    subcommands = {
      JobCommand.Push.class,
      JobCommand.ListJobs.class,
      JobCommand.Versions.class,
      JobCommand.Show.class,
      JobCommand.Diff.class,
      JobCommand.Rollback.class,
      JobCommand.Delete.class
    })
public final class JobCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(),
        "Missing command: push, list, versions, show, diff, rollback or delete");
  }

  static String path(String name) {
    return "/api/v1/jobs/" + MasterClient.pathSegment(name);
  }

  /** Prints what a push or rollback gave; the last line is NAME@N. */
  static void printPushed(PrintWriter out, JsonNode v) {
    if (!v.path("created").asBoolean()) {
      out.println("unchanged: the script equals the newest version");
    }
    out.println(v.path("job").asText() + "@" + v.path("version").asInt());
    out.flush();
  }

  /** {@code mschedule job push}. */
  @Command(
      name = "push",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Push a script as the next version of job NAME (the job is created on first push).",
        "The last line printed is NAME@N: the new version, or the newest one when unchanged."
      })
  static final class Push implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ServerOptions server;

    @Parameters(index = "0", paramLabel = "NAME", description = "The job's name.")
    String name;

    @Option(
        names = {"-c", "--command"},
        paramLabel = "COMMAND",
        description = "The script, inline.")
    String command;

    @Parameters(
        index = "1",
        arity = "0..1",
        paramLabel = "FILE",
        description = "A script file, or '-' to read the script from standard input.")
    String file;

    @Option(
        names = {"-m", "--message"},
        paramLabel = "MESSAGE",
        description = "What changed.")
    String message;

    InputStream stdin = System.in;

    @Override
    public Integer call() {
      String script = ScriptSource.read(command, file, stdin, spec.commandLine());
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("script", script);
      if (message != null) {
        body.put("message", message);
      }
      JsonNode v = server.client().postForJson(path(name) + "/versions", body);
      printPushed(spec.commandLine().getOut(), v);
      return ExitCodes.OK;
    }
  }

  /** {@code mschedule job list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List jobs.")
  static final class ListJobs implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ServerOptions server;

    @Option(names = "--json", description = "Print the jobs as a JSON array.")
    boolean json;

    @Override
    public Integer call() {
      JsonNode jobs = server.client().getJson("/api/v1/jobs");
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        JsonOutput.print(out, jobs);
        return ExitCodes.OK;
      }
      if (jobs.isEmpty()) {
        spec.commandLine().getErr().println("no jobs");
        return ExitCodes.OK;
      }
      TableFormatter t = new TableFormatter("NAME", "VERSION", "SHA256", "UPDATED", "BY");
      for (JsonNode j : jobs) {
        t.row(
            j.path("job").asText(),
            j.path("version").asText(),
            shortSha(j),
            time(j.path("created_at")),
            j.path("created_by").asText("-"));
      }
      out.print(t.render());
      out.flush();
      return ExitCodes.OK;
    }
  }

  /** {@code mschedule job versions}. */
  @Command(
      name = "versions",
      mixinStandardHelpOptions = true,
      description = "List the versions of a job, oldest first.")
  static final class Versions implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ServerOptions server;

    @Parameters(index = "0", paramLabel = "NAME", description = "The job's name.")
    String name;

    @Option(names = "--json", description = "Print the versions as a JSON array.")
    boolean json;

    @Override
    public Integer call() {
      JsonNode versions = server.client().getJson(path(name) + "/versions");
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        JsonOutput.print(out, versions);
        return ExitCodes.OK;
      }
      TableFormatter t = new TableFormatter("VERSION", "SHA256", "CREATED", "BY", "MESSAGE");
      for (JsonNode v : versions) {
        t.row(
            v.path("version").asText(),
            shortSha(v),
            time(v.path("created_at")),
            v.path("created_by").asText("-"),
            v.path("message").isNull() ? "" : v.path("message").asText());
      }
      out.print(t.render());
      out.flush();
      return ExitCodes.OK;
    }
  }

  /** {@code mschedule job show}. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Print the script of a job version (without @N: the newest).")
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ServerOptions server;

    @Parameters(index = "0", paramLabel = "NAME[@N]", description = "The job version.")
    String ref;

    @Option(names = "--json", description = "Print the version and its script as JSON.")
    boolean json;

    @Override
    public Integer call() {
      int at = ref.lastIndexOf('@');
      String p =
          at < 0
              ? path(ref)
              : path(ref.substring(0, at))
                  + "/versions/"
                  + MasterClient.pathSegment(ref.substring(at + 1));
      JsonNode v = server.client().getJson(p);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        JsonOutput.print(out, v);
      } else {
        out.print(v.path("script").asText());
        out.flush();
      }
      return ExitCodes.OK;
    }
  }

  /** {@code mschedule job diff}. */
  @Command(
      name = "diff",
      mixinStandardHelpOptions = true,
      description = "Print a unified diff between two versions of a job (nothing when equal).")
  static final class Diff implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ServerOptions server;

    @Parameters(index = "0", paramLabel = "NAME", description = "The job's name.")
    String name;

    @Parameters(index = "1", paramLabel = "N", description = "The older version.")
    int from;

    @Parameters(index = "2", paramLabel = "M", description = "The newer version.")
    int to;

    @Override
    public Integer call() {
      JsonNode d = server.client().getJson(path(name) + "/diff?from=" + from + "&to=" + to);
      PrintWriter out = spec.commandLine().getOut();
      out.print(d.path("diff").asText());
      out.flush();
      return ExitCodes.OK;
    }
  }

  /** {@code mschedule job rollback}. */
  @Command(
      name = "rollback",
      mixinStandardHelpOptions = true,
      description = {
        "Make version N's script the newest again, as a new version (history stays linear).",
        "The last line printed is NAME@M, the new version."
      })
  static final class Rollback implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ServerOptions server;

    @Parameters(index = "0", paramLabel = "NAME", description = "The job's name.")
    String name;

    @Option(names = "--to", required = true, paramLabel = "N", description = "The version.")
    int to;

    @Override
    public Integer call() {
      JsonNode v = server.client().postForJson(path(name) + "/rollback", Map.of("to", to));
      printPushed(spec.commandLine().getOut(), v);
      return ExitCodes.OK;
    }
  }

  /** {@code mschedule job delete}. */
  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = {
        "Delete a job and its versions. Refused while a task ran one of its versions or a"
            + " schedule names it: versions in use are never deleted."
      })
  static final class Delete implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ServerOptions server;

    @Parameters(index = "0", paramLabel = "NAME", description = "The job's name.")
    String name;

    @Override
    public Integer call() {
      server.client().delete(path(name));
      spec.commandLine().getOut().println("job " + name + " deleted");
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
  }

  private static String shortSha(JsonNode v) {
    String sha = v.path("sha256").asText("");
    return sha.length() > 12 ? sha.substring(0, 12) : sha;
  }

  static String time(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return "-";
    }
    return Formats.time(Instant.parse(n.asText()), ZoneId.systemDefault());
  }
}
