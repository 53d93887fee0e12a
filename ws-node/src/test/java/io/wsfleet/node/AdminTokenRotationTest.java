package io.wsfleet.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wsfleet.node.testing.Admin;
import io.wsfleet.node.testing.CapturedLogs;
import io.wsfleet.node.testing.Nodes;
import io.wsfleet.node.testing.VertxPair;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin token file is a mounted Secret: the kubelet rotates it by writing a new timestamped
 * directory and swapping the {@code ..data} symlink atomically. The server must take the new token
 * without a restart and keep accepting the previous one for a grace period.
 */
class AdminTokenRotationTest {

  private static final String OLD = "old-token-3f1e";
  private static final String NEW = "new-token-9a7c";

  @RegisterExtension final VertxPair loop = new VertxPair();
  @TempDir Path secretVolume;
  @RegisterExtension final CapturedLogs logs = new CapturedLogs();
  private int generation;

  /** What the kubelet does for a Secret volume: {@code token -> ..data/token}, {@code ..data}. */
  private void writeSecret(String token) throws IOException {
    Path version = secretVolume.resolve("..2026_12_01_18_00_0" + generation++);
    Files.createDirectory(version);
    Files.writeString(version.resolve("token"), token + "\n", StandardCharsets.UTF_8);
    Path next = secretVolume.resolve("..data_tmp");
    Files.createSymbolicLink(next, version.getFileName());
    Files.move(
        next,
        secretVolume.resolve("..data"),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    Path link = secretVolume.resolve("token");
    if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      Files.createSymbolicLink(link, Path.of("..data", "token"));
    }
  }

  private WsNode start(String graceSeconds) throws Exception {
    writeSecret(OLD);
    Map<String, String> env = new HashMap<>();
    env.put("WSNODE_ADMIN_TOKEN_FILE", secretVolume.resolve("token").toString());
    env.put("WSNODE_ADMIN_TOKEN_GRACE_SECONDS", graceSeconds);
    return Nodes.start(loop.server(), env);
  }

  private static int status(WsNode node, String token) {
    return Admin.get(node.adminPort(), "/admin/status", token).statusCode();
  }

  @Test
  void aRotatedSecretIsTakenAtOnceAndThePreviousTokenWorksDuringTheGrace() throws Exception {
    WsNode node = start("120");
    assertThat(status(node, OLD)).isEqualTo(200);

    writeSecret(NEW);

    // The operator that already read the new Secret is not refused...
    assertThat(status(node, NEW)).isEqualTo(200);
    // ...nor is one that has not yet.
    assertThat(status(node, OLD)).isEqualTo(200);
    assertThat(status(node, "never-a-token")).isEqualTo(401);
    assertThat(Admin.post(node.adminPort(), "/admin/drain", NEW, "{\"count\":1}").statusCode())
        .isEqualTo(202);
    assertThat(logs.lines())
        .anySatisfy(line -> assertThat(line).contains("event=admin-token-rotated"))
        .allSatisfy(line -> assertThat(line).doesNotContain(OLD).doesNotContain(NEW));
  }

  @Test
  void theServerNoticesARotationByItselfAndRefusesThePreviousTokenAfterTheGrace() throws Exception {
    WsNode node = start("1");
    assertThat(status(node, OLD)).isEqualTo(200);

    writeSecret(NEW);

    // Nobody presents the new token: the periodic check finds it, and the old one expires.
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> status(node, OLD) == 401);
    assertThat(status(node, NEW)).isEqualTo(200);
  }
}
