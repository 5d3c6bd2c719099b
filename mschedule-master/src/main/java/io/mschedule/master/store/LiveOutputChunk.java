package io.mschedule.master.store;

/**
 * A chunk of live output as kept in the database for other masters.
 *
 * @param id its row id, increasing as chunks are written (0 for a chunk not written yet)
 * @param seq the agent's chunk number for the run
 * @param offset where the chunk starts in the run's output, -1 when the agent does not say
 * @param stderr whether the bytes came from stderr (else stdout)
 * @param masterId the master the agent sent the chunk to
 */
public record LiveOutputChunk(
    long id,
    String taskId,
    String agentId,
    long seq,
    long offset,
    boolean stderr,
    byte[] data,
    String masterId) {}
