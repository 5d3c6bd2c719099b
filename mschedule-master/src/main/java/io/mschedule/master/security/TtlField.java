package io.mschedule.master.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.mschedule.master.api.ApiException;
import java.time.Duration;

/**
 * The {@code ttl_seconds} field of a token creation: how long the new token is valid, in whole
 * seconds. The CLI turns {@code --ttl 30d} into it, so durations are parsed in one place.
 */
public final class TtlField {
  public static final String NAME = "ttl_seconds";

  private TtlField() {}

  /** The duration in {@code body}, or {@code absent} when the field is missing or null. */
  public static Duration read(JsonNode body, Duration absent) {
    JsonNode n = body.get(NAME);
    if (n == null || n.isNull()) {
      return absent;
    }
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      throw new ApiException(400, NAME + ": expected a whole number of seconds", NAME);
    }
    return Duration.ofSeconds(n.asLong());
  }
}
