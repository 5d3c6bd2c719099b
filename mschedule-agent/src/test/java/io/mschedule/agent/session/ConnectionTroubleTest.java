package io.mschedule.agent.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.mschedule.protocol.zerorpc.CallTimeoutException;
import io.mschedule.protocol.zerorpc.RemoteErrorException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class ConnectionTroubleTest {
  private final ConnectionTrouble trouble = new ConnectionTrouble("a1", "tcp://m:5555");

  @Test
  void silenceBeforeRegisteringPointsAtTheMasterKey() {
    String said =
        trouble.describe(new ExecutionException(new CallTimeoutException("timed out")), false);
    assertThat(said)
        .isEqualTo(
            "no answer from the master: check --master-key (the master's key is printed by"
                + " mschedule master key) and that the master runs at tcp://m:5555");
    assertThat(trouble.describe(new CallTimeoutException("timed out"), true))
        .isEqualTo("the master at tcp://m:5555 stopped answering");
  }

  @Test
  void aRejectedKeyIsNamedAndSoIsTheSilenceThatFollows() {
    String said =
        trouble.describe(
            new RemoteErrorException("Refused", "the key of agent a1 was rejected"), false);
    assertThat(said).startsWith("the master refused this agent's key");
    assertThat(trouble.describe(new CallTimeoutException("timed out"), false))
        .contains("refused this agent's key")
        .contains("mschedule keys delete a1");
  }

  @Test
  void aBadJoinTokenSaysSo() {
    assertThat(
            trouble.describe(
                new RemoteErrorException(
                    "Refused", "the join token is not valid (unknown or expired)"),
                false))
        .isEqualTo(
            "the master refused the join token: the join token is not valid (unknown or expired)"
                + " (create one on the master with mschedule master token create)");
  }

  @Test
  void anOrderKeyMismatchIsSaidAsItIs() {
    assertThat(trouble.describe(new OrderKeyMismatchException("delete the pin"), true))
        .isEqualTo("delete the pin");
  }

  @Test
  void otherErrorsKeepTheirNameAndMessage() {
    assertThat(trouble.describe(new IllegalStateException("boom"), true))
        .isEqualTo("IllegalStateException: boom");
  }
}
