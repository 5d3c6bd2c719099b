package io.mschedule.master.task;

import java.util.List;

/**
 * A submission as the API receives it, before validation.
 *
 * @param parallel an integer, or a string {@code "N%"} or {@code "N"}; null for the default
 */
public record TaskRequest(
    String script,
    List<String> targets,
    Object parallel,
    Double failRate,
    Integer failCount,
    Integer timeout) {}
