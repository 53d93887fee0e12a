package io.wsfleet.e2e.operatorbench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The operator's live heap from outside: a full GC, then GC.heap_info's used figure (jcmd). */
final class HeapProbe {

  // Serial and Parallel print "total 123K, used 45K" per generation; G1 prints one heap line.
  private static final Pattern USED = Pattern.compile("used (\\d+)K");

  private HeapProbe() {}

  /** Bytes used after a full GC, summed over the generations GC.heap_info lists; -1 if unknown. */
  static double liveAfterGc(long pid) throws IOException, InterruptedException {
    jcmd(pid, "GC.run");
    String info = jcmd(pid, "GC.heap_info");
    long usedKiB = 0;
    boolean found = false;
    for (String line : info.split("\n")) {
      String trimmed = line.trim();
      if (trimmed.startsWith("Metaspace") || trimmed.startsWith("class space")) {
        continue;
      }
      Matcher m = USED.matcher(trimmed);
      if (m.find() && (trimmed.contains("generation") || trimmed.startsWith("garbage-first"))) {
        usedKiB += Long.parseLong(m.group(1));
        found = true;
      }
    }
    return found ? usedKiB * 1024.0 : -1;
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process process =
        new ProcessBuilder(
                Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd", Long.toString(pid), command)
            .redirectErrorStream(true)
            .start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("jcmd " + command + " failed on pid " + pid);
    }
    return new String(output, StandardCharsets.UTF_8);
  }
}
