package io.wsfleet.e2e.fleet;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;

/**
 * Pod addresses 10.244.0.2 and up, added to the loopback device of the network namespace the local
 * fleet runs in. EndpointSlices refuse 127.0.0.0/8, so pods need addresses outside it; inside a
 * namespace of our own they reach nothing but ourselves.
 */
public final class AddressPool {

  private final Deque<String> free = new ArrayDeque<>();
  private int next = 2;

  public synchronized String take() throws IOException {
    String ip = free.isEmpty() ? "10.244." + (next / 250) + "." + (next++ % 250 + 2) : free.pop();
    ip(true, ip);
    return ip;
  }

  public synchronized void release(String ip) {
    try {
      ip(false, ip);
      free.push(ip);
    } catch (IOException e) {
      System.err.println("address-pool: cannot remove " + ip + ": " + e.getMessage());
    }
  }

  private static void ip(boolean add, String address) throws IOException {
    Process p =
        new ProcessBuilder("ip", "addr", add ? "add" : "del", address + "/32", "dev", "lo")
            .redirectErrorStream(true)
            .start();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(
            "ip addr "
                + (add ? "add " : "del ")
                + address
                + ": "
                + new String(
                    p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
