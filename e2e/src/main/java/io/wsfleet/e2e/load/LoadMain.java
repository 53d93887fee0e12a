package io.wsfleet.e2e.load;

import io.vertx.core.Vertx;
import io.wsfleet.e2e.cli.Args;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The load client's command line; exits 1 when the run lost, repeated or reordered messages. */
public final class LoadMain {

  static final String USAGE =
      "usage: LoadMain --targets host:port[,host:port...] --profile \"ramp 2000 60, hold 30\""
          + " | --profile-file FILE [--channels 1] [--publish-rate 20] [--sources 127.0.1.1-127.0.1.50]"
          + " [--settle-seconds 30] [--report FILE.json]";

  private LoadMain() {}

  public static void main(String[] argv) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    Map<String, String> args;
    LoadOptions options;
    Profile profile;
    try {
      args = Args.parse(argv);
      options = options(args).withProgress(out, System.console() != null);
      profile = profile(args);
    } catch (IllegalArgumentException | IOException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    Vertx vertx = Vertx.vertx();
    try {
      LoadClient client = LoadClient.start(options, vertx);
      long limit = profile.totalSeconds() + options.settleSeconds() + 60L;
      LoadReport report = client.run(profile).await(limit, TimeUnit.SECONDS);
      client.close().await(10, TimeUnit.SECONDS);
      out.print(report.toText());
      String path = args.get("report");
      if (path != null) {
        Path file = Path.of(path).toAbsolutePath();
        Path directory = file.getParent();
        if (directory != null) {
          Files.createDirectories(directory);
        }
        Files.writeString(file, report.toJson().encodePrettily() + "\n");
        out.println("report: " + file);
      }
      System.exit(report.clean() ? 0 : 1);
    } finally {
      vertx.close();
    }
  }

  static LoadOptions options(Map<String, String> args) {
    String targets = args.get("targets");
    if (targets == null || targets.isBlank()) {
      throw new IllegalArgumentException("--targets is required");
    }
    try {
      return LoadOptions.defaults(Arrays.stream(targets.split(",")).map(String::trim).toList())
          .withSourceAddresses(args.get("sources"))
          .withChannels(Integer.parseInt(args.getOrDefault("channels", "1")))
          .withPublishRate(Double.parseDouble(args.getOrDefault("publish-rate", "20")))
          .withSettleSeconds(Integer.parseInt(args.getOrDefault("settle-seconds", "30")));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a number: " + e.getMessage(), e);
    }
  }

  static Profile profile(Map<String, String> args) throws IOException {
    if (args.containsKey("profile-file")) {
      return Profile.parse(
          Files.readString(Path.of(args.get("profile-file")), StandardCharsets.UTF_8));
    }
    String text = args.get("profile");
    if (text == null) {
      throw new IllegalArgumentException("--profile or --profile-file is required");
    }
    return Profile.parse(text);
  }
}
