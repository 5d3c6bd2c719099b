package io.mschedule.master.api;

import io.javalin.http.Context;

/** Who may call the API, and who the caller is. */
public interface ApiAccess {
  /** No authentication: every caller may do everything and is anonymous. */
  ApiAccess OPEN =
      new ApiAccess() {
        @Override
        public void check(Context ctx) {}

        @Override
        public String caller(Context ctx) {
          return null;
        }
      };

  /** Runs before every API route; throws {@link ApiException} (401/403) to refuse. */
  void check(Context ctx);

  /** A name for the caller (for created_by and the audit log), or null. */
  String caller(Context ctx);

  /** What identifies the caller's credential for per-caller limits (by default its name). */
  default String callerKey(Context ctx) {
    String c = caller(ctx);
    return c == null ? "anonymous" : c;
  }
}
