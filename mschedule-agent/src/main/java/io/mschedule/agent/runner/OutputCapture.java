package io.mschedule.agent.runner;

import io.mschedule.protocol.message.OutputLimit;
import io.mschedule.protocol.message.OutputStreams;
import io.mschedule.protocol.message.StdStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.BitSet;

/**
 * The output a run keeps for its result, bounded whatever the script prints: up to {@code maxBytes}
 * are kept as they are; beyond that the first {@code maxBytes - tailBytes} bytes and the last
 * {@code tailBytes} bytes are kept, with a marker line saying how much was left out between them.
 * Memory use never exceeds {@code maxBytes} (plus a bit per byte for its stream). The marker is
 * {@link OutputLimit#marker}, so the master, cutting again to its own limit, recognises it and
 * keeps its count. Which stream each kept byte came from is kept too (one bit per byte), see {@link
 * #keptStreams()}. Thread-safe.
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
  private final BitSet headStderr = new BitSet();
  private final BitSet tailStderr = new BitSet(); // indexed like the ring
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
    append(StdStream.STDOUT, bytes, offset, length);
  }

  synchronized void append(StdStream stream, byte[] bytes, int offset, int length) {
    if (sealed || length <= 0) {
      return;
    }
    boolean stderr = stream == StdStream.STDERR;
    total += length;
    int toHead = (int) Math.min(length, headCapacity - headLength);
    if (toHead > 0) {
      ensureHead(headLength + toHead);
      System.arraycopy(bytes, offset, head, headLength, toHead);
      headStderr.set(headLength, headLength + toHead, stderr);
      headLength += toHead;
      offset += toHead;
      length -= toHead;
    }
    if (length > 0 && tailCapacity > 0) {
      appendTail(bytes, offset, length, stderr);
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

  /** Which bytes of {@link #kept()} came from which stream; the marker counts as stdout. */
  synchronized OutputStreams keptStreams() {
    OutputStreams.Builder b = new OutputStreams.Builder();
    addRuns(b, headStderr, 0, headLength);
    if (truncated()) {
      b.add(StdStream.STDOUT, marker(total - headLength - tailLength).length);
    }
    if (tailLength > 0) {
      int start = Math.floorMod(tailEnd - tailLength, tailCapacity);
      int first = Math.min(tailLength, tailCapacity - start);
      addRuns(b, tailStderr, start, start + first);
      addRuns(b, tailStderr, 0, tailLength - first);
    }
    return b.build();
  }

  /** Adds the runs of bits {@code [from, to)}: set bits are stderr. */
  private static void addRuns(OutputStreams.Builder b, BitSet stderr, int from, int to) {
    int at = from;
    while (at < to) {
      boolean isErr = stderr.get(at);
      int next = isErr ? stderr.nextClearBit(at) : stderr.nextSetBit(at);
      int end = next < 0 ? to : Math.min(next, to);
      b.add(isErr ? StdStream.STDERR : StdStream.STDOUT, end - at);
      at = end;
    }
  }

  private void ensureHead(int needed) {
    if (needed > head.length) {
      int size = Math.max(needed, Math.max(INITIAL_HEAD_BYTES, head.length * 2));
      head = Arrays.copyOf(head, Math.min(size, headCapacity));
    }
  }

  private void appendTail(byte[] bytes, int offset, int length, boolean stderr) {
    if (tail == null) {
      tail = new byte[tailCapacity];
    }
    if (length >= tailCapacity) {
      // only the last tailCapacity bytes can survive
      System.arraycopy(bytes, offset + length - tailCapacity, tail, 0, tailCapacity);
      tailStderr.set(0, tailCapacity, stderr);
      tailEnd = 0;
      tailLength = tailCapacity;
      return;
    }
    int first = Math.min(length, tailCapacity - tailEnd);
    System.arraycopy(bytes, offset, tail, tailEnd, first);
    System.arraycopy(bytes, offset + first, tail, 0, length - first);
    tailStderr.set(tailEnd, tailEnd + first, stderr);
    tailStderr.set(0, length - first, stderr);
    tailEnd = (tailEnd + length) % tailCapacity;
    tailLength = Math.min(tailCapacity, tailLength + length);
  }
}
