package io.mschedule.master.api;

import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Resolves an id as people type it: the whole id, or a unique prefix of at least {@value #MIN_HEX}
 * hex characters (the console shows ids by their first 8). None matches: 404; several: 409 naming
 * them.
 */
public final class IdPrefix {
  /** The shortest prefix looked up. */
  public static final int MIN_HEX = 4;

  /** Candidates named in an ambiguity error (and looked up at most, plus one). */
  static final int MAX_LISTED = 10;

  private static final Pattern HEX_PREFIX = Pattern.compile("[0-9a-fA-F]{" + MIN_HEX + ",}");

  private IdPrefix() {}

  /**
   * @param what how the id is named in errors, e.g. {@code "task"}
   * @param given the id as typed
   * @param exists whether an id exists as given
   * @param startingWith ids starting with a (lower-case) prefix, at most {@code limit}; called with
   *     the prefix and {@code MAX_LISTED + 1}
   * @return the whole id
   * @throws ApiException 404 when nothing matches, 409 when several ids do
   */
  public static String resolve(
      String what,
      String given,
      Predicate<String> exists,
      BiFunction<String, Integer, List<String>> startingWith) {
    if (given == null || given.isBlank()) {
      throw new ApiException(400, what + " id is empty", "id");
    }
    if (exists.test(given)) {
      return given;
    }
    if (!HEX_PREFIX.matcher(given).matches()) {
      throw ApiException.notFound(what + " " + given);
    }
    String prefix = given.toLowerCase(Locale.ROOT);
    List<String> found = startingWith.apply(prefix, MAX_LISTED + 1);
    if (found.isEmpty()) {
      throw ApiException.notFound(what + " " + given);
    }
    if (found.size() == 1) {
      return found.get(0);
    }
    String listed = String.join(", ", found.subList(0, Math.min(found.size(), MAX_LISTED)));
    String more = found.size() > MAX_LISTED ? ", …" : "";
    throw new ApiException(
        409,
        what + " id " + given + " is ambiguous: it matches " + listed + more + "; give more of it",
        "id");
  }

  /** {@link #resolve} over a known set of ids (agents, keys). */
  public static String resolveIn(String what, String given, List<String> ids) {
    return resolve(
        what,
        given,
        ids::contains,
        (prefix, limit) ->
            ids.stream()
                .filter(id -> id.toLowerCase(Locale.ROOT).startsWith(prefix))
                .sorted()
                .limit(limit)
                .toList());
  }
}
