package io.mschedule.agent.files;

import java.io.IOException;

/** A transfer stopped because its run was asked to stop. */
public final class FileCancelledException extends IOException {
  public FileCancelledException() {
    super("stopped");
  }
}
