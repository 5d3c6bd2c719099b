package io.mschedule.bench;

import io.mschedule.agent.Agent;
import io.mschedule.agent.process.LocalProcessLauncher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A JVM hosting a slice of the fan-out benchmark's real agents: {@code AgentHost ENDPOINT DIR FIRST
 * COUNT MASTER_KEY JOIN_TOKEN} starts agents FIRST .. FIRST+COUNT-1 with the real {@link
 * LocalProcessLauncher}, prints {@code ready}, and runs until its standard input closes.
 *
 * <p>Several hosts rather than one JVM with every agent: each agent holds about 30 file descriptors
 * (its ZeroMQ context, sockets and pipes), and every process a JVM starts closes all of the JVM's
 * descriptors in the child before exec. With 500 agents in one JVM that is 16,000 descriptors per
 * script start and the start cost grows with N²; an agent on a real host has one set.
 */
public final class AgentHost {
  private AgentHost() {}

  public static void main(String[] args) throws IOException {
    BenchMain.quietLogs();
    String endpoint = args[0];
    Path dir = Path.of(args[1]);
    int first = Integer.parseInt(args[2]);
    int count = Integer.parseInt(args[3]);
    List<Agent> agents = new ArrayList<>(count);
    for (int i = first; i < first + count; i++) {
      agents.add(
          Agent.start(
              FanOutBench.agentConfig(dir.resolve(String.valueOf(i)), endpoint, args[4], args[5]),
              new LocalProcessLauncher(),
              "bench"));
    }
    System.out.println("ready");
    System.out.flush();
    while (System.in.read() >= 0) {
      // run until the benchmark closes our stdin (or kills us)
    }
    FanOutBench.closeAll(agents);
    System.exit(0);
  }
}
