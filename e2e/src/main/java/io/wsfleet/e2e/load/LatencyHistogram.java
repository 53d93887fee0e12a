package io.wsfleet.e2e.load;

/**
 * Latencies in microseconds, in buckets 1/32 of a power of two wide (at most ~3 % high), so
 * millions of samples cost 16 KiB and no sorting.
 */
final class LatencyHistogram {

  private static final int SUB = 32;
  private static final int SUB_BITS = 5;

  private final long[] counts = new long[64 * SUB];
  private long count;
  private long max;

  void record(long micros) {
    long value = Math.max(0, micros);
    counts[index(value)]++;
    count++;
    max = Math.max(max, value);
  }

  long count() {
    return count;
  }

  long max() {
    return max;
  }

  /** The value at quantile {@code q} (0..1), rounded up to its bucket's end; 0 when empty. */
  long quantile(double q) {
    long rank = Math.max(1, (long) Math.ceil(q * count));
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.min(upper(i), max);
      }
    }
    return max;
  }

  static int index(long value) {
    if (value < SUB) {
      return (int) value;
    }
    int shift = 63 - Long.numberOfLeadingZeros(value) - SUB_BITS;
    return (shift + 1) * SUB + (int) ((value >>> shift) & (SUB - 1));
  }

  static long upper(int index) {
    if (index < SUB) {
      return index;
    }
    int shift = index / SUB - 1;
    long mantissa = SUB + index % SUB;
    return ((mantissa + 1) << shift) - 1;
  }
}
