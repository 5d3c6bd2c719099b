package io.mschedule.master.store;

/**
 * A master's hold on an unfinished task: only the holder of the current {@code epoch} changes the
 * task and its runs.
 */
public record Lease(String taskId, String masterId, long epoch) {}
