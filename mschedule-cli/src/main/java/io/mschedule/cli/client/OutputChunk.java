package io.mschedule.cli.client;

/** A piece of a run's output as it arrives (the {@code output} live event). */
public record OutputChunk(String agentId, String data) {}
