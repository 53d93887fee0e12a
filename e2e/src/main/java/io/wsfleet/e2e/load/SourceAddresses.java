package io.wsfleet.e2e.load;

import java.util.ArrayList;
import java.util.List;

/**
 * Expands {@code 127.0.1.1-127.0.1.50,10.0.0.7,10.244.1.0/30} into single IPv4 addresses: each
 * source address has ~28,000 ephemeral ports, so big runs spread their sockets over many.
 */
final class SourceAddresses {

  private SourceAddresses() {}

  static List<String> parse(String text) {
    List<String> addresses = new ArrayList<>();
    if (text == null || text.isBlank()) {
      return addresses;
    }
    for (String part : text.split(",")) {
      String item = part.trim();
      if (item.isEmpty()) {
        continue;
      }
      long from;
      long to;
      if (item.contains("-")) {
        String[] ends = item.split("-", 2);
        from = ipv4(ends[0].trim());
        to = ipv4(ends[1].trim());
      } else if (item.contains("/")) {
        String[] cidr = item.split("/", 2);
        int bits = Integer.parseInt(cidr[1].trim());
        long size = 1L << (32 - bits);
        from = ipv4(cidr[0].trim()) & ~(size - 1);
        to = from + size - 1;
        if (size > 2) { // skip the network and broadcast addresses
          from++;
          to--;
        }
      } else {
        from = ipv4(item);
        to = from;
      }
      if (to < from || to - from > 65_535) {
        throw new IllegalArgumentException("bad source address range " + item);
      }
      for (long a = from; a <= to; a++) {
        addresses.add(text(a));
      }
    }
    return addresses;
  }

  private static long ipv4(String text) {
    String[] octets = text.split("\\.");
    if (octets.length != 4) {
      throw new IllegalArgumentException("not an IPv4 address: " + text);
    }
    long value = 0;
    for (String octet : octets) {
      int n = Integer.parseInt(octet);
      if (n < 0 || n > 255) {
        throw new IllegalArgumentException("not an IPv4 address: " + text);
      }
      value = value << 8 | n;
    }
    return value;
  }

  private static String text(long a) {
    return (a >> 24 & 255) + "." + (a >> 16 & 255) + "." + (a >> 8 & 255) + "." + (a & 255);
  }
}
