package io.mschedule.master.store;

import java.util.Locale;
import java.util.Optional;

/** What a token may do. Each role may do everything the roles before it may. */
public enum Role {
  /** Read: agents, tasks, output, event streams. */
  VIEWER,
  /** Also run and kill tasks. */
  OPERATOR,
  /** Everything: also agent keys, API tokens and the audit log. */
  ADMIN;

  /** True when this role may do what {@code needed} may. */
  public boolean includes(Role needed) {
    return compareTo(needed) >= 0;
  }

  /** The name used in the API, the CLI and the database: {@code viewer}, … */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role named {@code id} ({@code viewer}, {@code operator}, {@code admin}), if any. */
  public static Optional<Role> parse(String id) {
    if (id == null) {
      return Optional.empty();
    }
    for (Role r : values()) {
      if (r.id().equals(id.strip().toLowerCase(Locale.ROOT))) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return id();
  }
}
