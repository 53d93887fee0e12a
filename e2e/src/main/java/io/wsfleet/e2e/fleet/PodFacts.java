package io.wsfleet.e2e.fleet;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.wsfleet.localcluster.Command;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a running server container really is, read on the node from its process (not from the pod
 * spec, which only says what was asked): its uid, whether its root filesystem is mounted read-only,
 * whether the admin-token Secret is mounted where the operator said.
 */
final class PodFacts {

  static final String TOKEN_DIR = "/var/run/wsfleet/admin-token";

  private final Path workDir;
  private final List<String> ctr;
  private final List<String> nodeExec;

  PodFacts(Path workDir, List<String> ctr, List<String> nodeExec) {
    this.workDir = workDir;
    this.ctr = ctr;
    this.nodeExec = nodeExec;
  }

  /** The facts of the first running container of {@code pod}, or why they could not be read. */
  Map<String, Object> of(Pod pod) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("pod", pod.getMetadata().getName());
    Optional<String> id = containerId(pod);
    if (id.isEmpty()) {
      f.put("error", "no running container");
      return f;
    }
    Optional<String> pid = pid(id.get());
    if (pid.isEmpty()) {
      f.put("error", "ctr does not list container " + id.get());
      return f;
    }
    String status = onNode("cat", "/proc/" + pid.get() + "/status");
    String mounts = onNode("cat", "/proc/" + pid.get() + "/mountinfo");
    f.put("uid", uid(status));
    f.put("readOnlyRoot", mountOptions(mounts, "/").map(o -> o.contains("ro")).orElse(false));
    f.put("tokenMounted", mountOptions(mounts, TOKEN_DIR).isPresent());
    f.put("tmpWritable", mountOptions(mounts, "/tmp").map(o -> o.contains("rw")).orElse(false));
    return f;
  }

  private static Optional<String> containerId(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getContainerStatuses().stream()
        .filter(s -> s.getState() != null && s.getState().getRunning() != null)
        .map(ContainerStatus::getContainerID)
        .filter(c -> c != null && c.contains("://"))
        .map(c -> c.substring(c.indexOf("://") + 3))
        .findFirst();
  }

  private Optional<String> pid(String containerId) {
    List<String> command = new ArrayList<>(ctr);
    command.addAll(List.of("task", "ls"));
    for (String line : run(command).split("\n")) {
      String[] cols = line.trim().split("\\s+");
      if (cols.length >= 2 && cols[0].equals(containerId)) {
        return Optional.of(cols[1]);
      }
    }
    return Optional.empty();
  }

  private String onNode(String... args) {
    List<String> command = new ArrayList<>(nodeExec);
    command.addAll(List.of(args));
    return run(command);
  }

  private String run(List<String> command) {
    Command.Result r = Command.run(workDir, null, Duration.ofSeconds(30), command);
    if (r.exitCode() != 0) {
      throw new IllegalStateException(String.join(" ", command) + ": " + r.stderr());
    }
    return r.stdout();
  }

  /** The real uid from /proc/PID/status ("Uid: real effective saved fs"). */
  static long uid(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("Uid:")) {
        return Long.parseLong(line.substring(4).trim().split("\\s+")[0]);
      }
    }
    return -1;
  }

  /** The per-mount options of the mount at {@code point}, from /proc/PID/mountinfo. */
  static Optional<List<String>> mountOptions(String mountinfo, String point) {
    Optional<List<String>> found = Optional.empty();
    for (String line : mountinfo.split("\n")) {
      String[] cols = line.split(" ");
      // id parent major:minor root mount-point options ...; the last mount on a point wins.
      if (cols.length > 5 && cols[4].equals(point)) {
        found = Optional.of(List.of(cols[5].split(",")));
      }
    }
    return found;
  }
}
