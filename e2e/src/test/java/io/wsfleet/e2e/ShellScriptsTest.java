package io.wsfleet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every shell script of the repository passes shellcheck. */
class ShellScriptsTest {

  private static Path repoRoot() {
    return Path.of(System.getProperty("wsfleet.repoRoot", "..")).toAbsolutePath().normalize();
  }

  private static List<Path> scripts(Path root) throws IOException {
    List<Path> scripts = new ArrayList<>();
    scripts.add(root.resolve(".ci/run"));
    try (Stream<Path> files = Files.walk(root)) {
      files
          .filter(p -> p.toString().endsWith(".sh"))
          .filter(p -> !root.relativize(p).startsWith(".cache"))
          .filter(p -> !p.toString().contains("/target/"))
          .forEach(scripts::add);
    }
    return scripts;
  }

  @Test
  void scriptsPassShellcheck() throws IOException, InterruptedException {
    Path root = repoRoot();
    List<Path> scripts = scripts(root);
    assertThat(scripts).contains(root.resolve("e2e/setup.sh"));

    List<String> command = new ArrayList<>(List.of("shellcheck", "--external-sources"));
    scripts.forEach(p -> command.add(p.toString()));
    Process process =
        new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(process.waitFor()).as(output).isZero();
  }
}
