package io.mschedule.agent.runner;

import io.mschedule.protocol.message.OutputLimit;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The output a run keeps for its result, bounded whatever the script prints: up to {@code maxBytes}
 * are kept as they are; beyond that the first {@code maxBytes - tailBytes} bytes and the last
 * {@code tailBytes} bytes are kept, with a marker line saying how much was left out between them.
 * Memory use never exceeds {@code maxBytes}. The marker is {@link OutputLimit#marker}, so the
 * master, cutting again to its own limit, recognises it and keeps its count. Thread-safe.
 */
final class OutputCapture {

  private static final int INITIAL_HEAD_BYTES = 8 * 1024;

  private final int headCapacity;
  private final int tailCapacity;

  private byte[] head = new byte[0];
  private int headLength;
  private byte[] tail; // ring buffer, allocated when the head is full
  private int tailEnd; // next write position in the ring
  private int tailLength;
  private long total;
  private boolean sealed;

  OutputCapture(int maxBytes, int tailBytes) {
    if (maxBytes < 0 || tailBytes < 0 || tailBytes > maxBytes) {
      throw new IllegalArgumentException(
          "need 0 <= tailBytes <= maxBytes, got " + tailBytes + " and " + maxBytes);
    }
    this.headCapacity = maxBytes - tailBytes;
    this.tailCapacity = tailBytes;
  }

  /** The marker put between head and tail when {@code omitted} bytes were left out. */
  static byte[] marker(long omitted) {
    return OutputLimit.marker(omitted).getBytes(StandardCharsets.US_ASCII);
  }

  synchronized void append(byte[] bytes, int offset, int length) {
    if (sealed || length <= 0) {
      return;
    }
    total += length;
    int toHead = (int) Math.min(length, headCapacity - headLength);
    if (toHead > 0) {
      ensureHead(headLength + toHead);
      System.arraycopy(bytes, offset, head, headLength, toHead);
      headLength += toHead;
      offset += toHead;
      length -= toHead;
    }
    if (length > 0 && tailCapacity > 0) {
      appendTail(bytes, offset, length);
    }
  }

  /** Ignores everything appended from now on. */
  synchronized void seal() {
    sealed = true;
  }

  /** How many bytes were appended in total. */
  synchronized long totalBytes() {
    return total;
  }

  /** True when some output is left out of {@link #kept()}. */
  synchronized boolean truncated() {
    return total > (long) headCapacity + tailCapacity;
  }

  /** The kept output: everything, or head, marker and tail. */
  synchronized byte[] kept() {
    byte[] marker = truncated() ? marker(total - headLength - tailLength) : new byte[0];
    byte[] out = new byte[headLength + marker.length + tailLength];
    System.arraycopy(head, 0, out, 0, headLength);
    System.arraycopy(marker, 0, out, headLength, marker.length);
    if (tailLength > 0) {
      int start = Math.floorMod(tailEnd - tailLength, tailCapacity);
      int first = Math.min(tailLength, tailCapacity - start);
      System.arraycopy(tail, start, out, headLength + marker.length, first);
      System.arraycopy(tail, 0, out, headLength + marker.length + first, tailLength - first);
    }
    return out;
  }

  private void ensureHead(int needed) {
    if (needed > head.length) {
      int size = Math.max(needed, Math.max(INITIAL_HEAD_BYTES, head.length * 2));
      head = Arrays.copyOf(head, Math.min(size, headCapacity));
    }
  }

  private void appendTail(byte[] bytes, int offset, int length) {
    if (tail == null) {
      tail = new byte[tailCapacity];
    }
    if (length >= tailCapacity) {
      // only the last tailCapacity bytes can survive
      System.arraycopy(bytes, offset + length - tailCapacity, tail, 0, tailCapacity);
      tailEnd = 0;
      tailLength = tailCapacity;
      return;
    }
    int first = Math.min(length, tailCapacity - tailEnd);
    System.arraycopy(bytes, offset, tail, tailEnd, first);
    System.arraycopy(bytes, offset + first, tail, 0, length - first);
    tailEnd = (tailEnd + length) % tailCapacity;
    tailLength = Math.min(tailCapacity, tailLength + length);
  }
}
