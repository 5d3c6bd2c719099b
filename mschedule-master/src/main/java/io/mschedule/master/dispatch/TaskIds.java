package io.mschedule.master.dispatch;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;

/**
 * New task ids: 32 hex digits, the first 6 the submission's millisecond modulo 2^24 (the count
 * wraps every 4.66 hours), the other 26 random. Tasks submitted together get ids that sort
 * together, so that their rows share index pages in every table keyed by the task id and a commit
 * rewrites a few pages instead of one per task per index. Tasks submitted in different milliseconds
 * differ in their first 6 digits, so the 8 digits the console shows tell them apart as random ids
 * do (two ids of the same millisecond share all 8 with a chance of 1 in 256).
 */
final class TaskIds {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();

  private TaskIds() {}

  static String next(Instant now) {
    byte[] random = new byte[13];
    RANDOM.nextBytes(random);
    return HEX.toHexDigits((int) (now.toEpochMilli() & 0xFFFFFF)).substring(2)
        + HEX.formatHex(random);
  }
}
