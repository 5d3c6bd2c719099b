package io.mschedule.master.api;

/**
 * Bounds of the HTTP API.
 *
 * @param maxRequestBytes the largest request body
 * @param maxTargets the most targets a task submission may list
 * @param maxStreamsPerToken live event streams open at once per API token
 * @param maxStreams live event streams open at once in all
 */
public record ApiLimits(
    long maxRequestBytes, int maxTargets, int maxStreamsPerToken, int maxStreams) {}
