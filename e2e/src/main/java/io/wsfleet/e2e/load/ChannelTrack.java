package io.wsfleet.e2e.load;

import java.util.Map;
import java.util.TreeMap;

/**
 * Checks the offsets one client receives on one channel. Offsets, not the publisher's seq, are the
 * truth: the server numbers each channel strictly across the fleet and resumes by offset, and
 * several publisher connections may feed one channel, so seq order is not delivery order.
 */
final class ChannelTrack {

  /** What one received offset means. */
  enum Verdict {
    IN_ORDER,
    /** Offsets were skipped; {@link #lastGap()} of them, lost unless they still arrive. */
    GAP,
    /** Filled an earlier gap: delivered, but out of order. */
    LATE,
    DUPLICATE
  }

  private long last = -1;
  private long lastGap;
  private long missingCount;
  // Gaps not filled yet, start -> end inclusive; null while there are none (the usual case).
  private TreeMap<Long, Long> missing;

  boolean hasBaseline() {
    return last >= 0;
  }

  /** The highest offset seen (or the subscribe point); the {@code since} to resume with. */
  long last() {
    return last;
  }

  /** Offsets skipped and not (yet) delivered. */
  long missing() {
    return missingCount;
  }

  long lastGap() {
    return lastGap;
  }

  /** The {@code subscribed} offset of the first subscription: expect every offset after it. */
  void baseline(long offset) {
    if (last < 0) {
      last = offset;
    }
  }

  Verdict message(long offset) {
    if (last < 0 || offset == last + 1) {
      last = offset;
      return Verdict.IN_ORDER;
    }
    if (offset > last) {
      lastGap = offset - last - 1;
      if (missing == null) {
        missing = new TreeMap<>();
      }
      missing.put(last + 1, offset - 1);
      missingCount += lastGap;
      last = offset;
      return Verdict.GAP;
    }
    return fill(offset) ? Verdict.LATE : Verdict.DUPLICATE;
  }

  private boolean fill(long offset) {
    Map.Entry<Long, Long> gap = missing == null ? null : missing.floorEntry(offset);
    if (gap == null || gap.getValue() < offset) {
      return false;
    }
    missing.remove(gap.getKey());
    if (gap.getKey() < offset) {
      missing.put(gap.getKey(), offset - 1);
    }
    if (offset < gap.getValue()) {
      missing.put(offset + 1, gap.getValue());
    }
    missingCount--;
    return true;
  }

  /**
   * The server says offsets {@code since+1 .. earliest-1} are gone; returns how many of those this
   * client had not seen. {@code earliest <= since} means the broker restarted its numbering.
   */
  long truncated(long since, long earliest) {
    long gone = Math.max(0, earliest - 1 - Math.max(since, last));
    if (earliest - 1 > last || earliest <= since) {
      last = earliest - 1;
    }
    return gone;
  }
}
