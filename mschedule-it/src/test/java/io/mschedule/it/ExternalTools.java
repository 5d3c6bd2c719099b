package io.mschedule.it;

import org.junit.jupiter.api.Assumptions;

/**
 * Tests that need tools outside Maven (node, chromium) skip without them, unless CI requires them.
 */
public final class ExternalTools {
  private ExternalTools() {}

  public static void require(boolean present, String what) {
    if (Boolean.getBoolean("mschedule.requireExternalTools")) {
      if (!present) {
        throw new AssertionError(
            what + " is required (mschedule.requireExternalTools=true) but missing");
      }
    } else {
      Assumptions.assumeTrue(present, what + " is missing; see .ci/run for the install steps");
    }
  }
}
