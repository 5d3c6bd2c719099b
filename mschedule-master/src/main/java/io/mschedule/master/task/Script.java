package io.mschedule.master.task;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A task's script: bytes, exactly as submitted (a script need not be UTF-8: Latin-1 files are run
 * as they are). Immutable.
 */
public final class Script {
  private final byte[] bytes;

  private Script(byte[] bytes) {
    this.bytes = bytes;
  }

  /** The script's bytes (a copy is kept). */
  public static Script of(byte[] bytes) {
    return new Script(Objects.requireNonNull(bytes, "bytes").clone());
  }

  /** A script given as text, as UTF-8. */
  public static Script of(String text) {
    return new Script(Objects.requireNonNull(text, "text").getBytes(StandardCharsets.UTF_8));
  }

  /** The bytes (a copy). */
  public byte[] bytes() {
    return bytes.clone();
  }

  public int size() {
    return bytes.length;
  }

  /** True when the bytes are valid UTF-8, so {@link #text()} is exactly the script. */
  public boolean isUtf8() {
    return RunOutput.isUtf8(bytes);
  }

  /** The script as text; bytes that are not valid UTF-8 show as U+FFFD. */
  public String text() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** True when the script holds nothing but white space. */
  public boolean isBlank() {
    return text().isBlank();
  }

  /** The SHA-256 of the bytes, lower-case hex: what the agents check and the audit records. */
  public String sha256() {
    return ScriptHash.of(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Script other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** The text (for messages and test failures). */
  @Override
  public String toString() {
    return text();
  }
}
