package io.wsfleet.localcluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a command to completion and keeps what it printed. */
public final class Command {

  private Command() {}

  /** Exit code and output of a finished command. */
  public record Result(int exitCode, String stdout, String stderr) {}

  /**
   * Runs {@code command} in {@code workDir} with {@code input} (or nothing) on its standard input.
   */
  public static Result run(Path workDir, String input, Duration limit, List<String> command) {
    try {
      Process process = new ProcessBuilder(command).directory(workDir.toFile()).start();
      CompletableFuture<String> stderr =
          CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
      try (var stdin = process.getOutputStream()) {
        if (input != null) {
          stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
      }
      String stdout = readAll(process.getInputStream());
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " timed out after " + limit);
      }
      return new Result(process.exitValue(), stdout, stderr.join());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String readAll(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
