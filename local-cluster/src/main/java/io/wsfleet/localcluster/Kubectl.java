package io.wsfleet.localcluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A kubectl binary bound to one kubeconfig, run as a user would run it, from {@code workDir}.
 *
 * @param binary the kubectl to run (the pinned one built next to the control plane)
 */
public record Kubectl(Path binary, Path kubeconfig, Path workDir) {

  /** Runs kubectl and waits for it. */
  public Command.Result run(String... args) {
    return runWithInput(null, args);
  }

  /** Runs kubectl with {@code input} on its standard input (for {@code apply -f -}). */
  public Command.Result runWithInput(String input, String... args) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.add("--kubeconfig=" + kubeconfig);
    command.addAll(List.of(args));
    return Command.run(workDir, input, Duration.ofSeconds(60), command);
  }
}
