package io.mschedule.master.store;

/** A write for a task was refused: this master no longer holds the task's lease. */
public final class LeaseLostException extends RuntimeException {
  private final transient Lease lease;

  public LeaseLostException(Lease lease) {
    super(
        "master "
            + lease.masterId()
            + " no longer holds task "
            + lease.taskId()
            + " (epoch "
            + lease.epoch()
            + " expired or was taken over)");
    this.lease = lease;
  }

  public Lease lease() {
    return lease;
  }
}
