package io.mschedule.cli;

import io.mschedule.cli.client.MasterClient;
import io.mschedule.cli.client.Task;
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

/** {@code mschedule rerun TASK}: runs a task again on its failed (or all) hosts. */
@Command(
    name = "rerun",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run a task's script again, with the same settings and parameters, on the hosts whose"
          + " run failed (FAILED, FAILED_TO_START, TIMED_OUT, LOST, SKIPPED) or on all its hosts.",
      "The new task records rerun_of; output and exit status are as with 'run'. It retries as"
          + " the task did unless --retries or --retry-delay say otherwise."
    },
    footer = {
      "",
      "Exit status: 0 all succeeded, 2 task FAILED, 3 ABORTED, 4 KILLED,",
      "1 usage or API error (or --detach: 0 once submitted)."
    })
public final class RerunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ServerOptions server;

  @Parameters(index = "0", paramLabel = "TASK", description = "The task id.")
  String taskId;

  @Option(
      names = "--hosts",
      paramLabel = "failed|all",
      description = "Which hosts of the task to run on (default: failed).")
  String hosts = "failed";

  @Mixin RetryOptions retry;

  @Option(names = "--detach", description = "Print the task id and return at once.")
  boolean detach;

  @Option(names = "--json", description = "Print the final task as JSON instead of per host.")
  boolean json;

  @Mixin ColorOption color;

  @Override
  public Integer call() throws InterruptedException {
    if (!hosts.equals("failed") && !hosts.equals("all")) {
      throw new ParameterException(
          spec.commandLine(), "--hosts: expected failed or all, got '" + hosts + "'");
    }
    MasterClient client = server.client();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("hosts", hosts);
    retry.putInto(body);
    Task task = client.rerun(taskId, body);
    return RunCommand.finish(
        client,
        task,
        detach,
        json,
        false,
        color.colors(),
        spec.commandLine().getOut(),
        spec.commandLine().getErr());
  }
}
