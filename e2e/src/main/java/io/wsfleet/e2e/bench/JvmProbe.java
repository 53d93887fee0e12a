package io.wsfleet.e2e.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a server JVM's memory from outside: jcmd and /proc. */
final class JvmProbe {

  private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");
  private static final Pattern VM_RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");
  private static final Pattern HISTOGRAM_ROW =
      Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(.+?)\\s*$");

  private JvmProbe() {}

  /** One row of GC.class_histogram. */
  record ClassRow(String className, long instances, long bytes) {}

  static String jcmd(long pid, String... command) throws IOException, InterruptedException {
    Path javaHomeJcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    List<String> line = new ArrayList<>();
    line.add(Files.isExecutable(javaHomeJcmd) ? javaHomeJcmd.toString() : "jcmd");
    line.add(Long.toString(pid));
    line.addAll(List.of(command));
    Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("jcmd " + String.join(" ", command) + " timed out on pid " + pid);
    }
    String text = new String(output, StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new IOException(
          "jcmd " + String.join(" ", command) + " failed on pid " + pid + ": " + text);
    }
    return text;
  }

  /** Full GC (System.gc via jcmd GC.run), then the heap's used bytes from GC.heap_info. */
  static long heapUsedAfterGc(long pid) throws IOException, InterruptedException {
    jcmd(pid, "GC.run");
    String info = jcmd(pid, "GC.heap_info");
    Matcher used = HEAP_USED.matcher(info);
    if (!used.find()) {
      throw new IOException("no heap usage in GC.heap_info of pid " + pid + ": " + info);
    }
    return Long.parseLong(used.group(1)) * 1024;
  }

  static long rssBytes(long pid) throws IOException {
    String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
    Matcher rss = VM_RSS.matcher(status);
    if (!rss.find()) {
      throw new IOException("no VmRSS in /proc/" + pid + "/status");
    }
    return Long.parseLong(rss.group(1)) * 1024;
  }

  static String classHistogram(long pid) throws IOException, InterruptedException {
    return jcmd(pid, "GC.class_histogram");
  }

  /** Class name to row, in the histogram's order (largest first). */
  static Map<String, ClassRow> parseHistogram(String histogram) {
    Map<String, ClassRow> rows = new LinkedHashMap<>();
    for (String line : histogram.split("\n")) {
      Matcher row = HISTOGRAM_ROW.matcher(line);
      if (row.matches()) {
        String name = row.group(3);
        rows.put(
            name, new ClassRow(name, Long.parseLong(row.group(1)), Long.parseLong(row.group(2))));
      }
    }
    return rows;
  }

  /** The header and the first {@code rows} rows of a histogram, plus its Total line. */
  static String top(String histogram, int rows) {
    StringBuilder text = new StringBuilder();
    int taken = 0;
    for (String line : histogram.split("\n")) {
      boolean row = HISTOGRAM_ROW.matcher(line).matches();
      if (line.startsWith("Total")) {
        text.append(line).append('\n');
      } else if (!row && taken == 0 && !line.matches("^\\d+:$")) {
        text.append(line).append('\n');
      } else if (row && taken < rows) {
        text.append(line).append('\n');
        taken++;
      }
    }
    return text.toString();
  }

  /** Per-class growth between two histograms, largest first. */
  static List<ClassRow> growth(Map<String, ClassRow> before, Map<String, ClassRow> after) {
    List<ClassRow> grown = new ArrayList<>();
    after.forEach(
        (name, row) -> {
          ClassRow old = before.get(name);
          long bytes = row.bytes() - (old == null ? 0 : old.bytes());
          long instances = row.instances() - (old == null ? 0 : old.instances());
          grown.add(new ClassRow(name, instances, bytes));
        });
    grown.sort((a, b) -> Long.compare(b.bytes(), a.bytes()));
    return grown;
  }
}
