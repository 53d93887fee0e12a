package io.wsfleet.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wsfleet.contract.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigTest {

  @Test
  void defaultsRunAServerAlone() {
    NodeConfig config = NodeConfig.defaults();
    assertThat(config.clientPort()).isEqualTo(8080);
    assertThat(config.adminPort()).isEqualTo(9090);
    assertThat(config.maxConnections()).isEqualTo(10_000);
    assertThat(config.redisAddress()).isEmpty();
    assertThat(config.adminToken()).isEmpty();
    assertThat(config.handshakeTimeout()).hasSeconds(10);
    assertThat(config.maxPendingHandshakes()).isEqualTo(1000);
  }

  @Test
  void everyProblemIsNamedAtOnce() {
    assertThatThrownBy(
            () ->
                NodeConfig.fromEnv(
                    Map.of(
                        "WSNODE_CLIENT_PORT", "eighty",
                        "WSNODE_MAX_CONNECTIONS", "0",
                        "WSNODE_REDIS_ADDRESS", "redis")))
        .hasMessageContaining("WSNODE_CLIENT_PORT=eighty is not a whole number")
        .hasMessageContaining("WSNODE_MAX_CONNECTIONS=0 must be between 1 and 10000000")
        .hasMessageContaining("WSNODE_REDIS_ADDRESS=redis must be host:port");
  }

  @Test
  void secretsComeFromFilesWithoutTheTrailingNewline(@TempDir Path dir) throws Exception {
    Path token = dir.resolve("token");
    Files.writeString(token, "s3cret\n");

    NodeConfig config = NodeConfig.fromEnv(Map.of("WSNODE_ADMIN_TOKEN_FILE", token.toString()));

    assertThat(config.adminToken()).contains("s3cret");
  }

  @Test
  void missingSecretFileIsAnError(@TempDir Path dir) {
    assertThatThrownBy(
            () ->
                NodeConfig.fromEnv(Map.of("WSNODE_ADMIN_TOKEN_FILE", dir.resolve("no").toString())))
        .hasMessageContaining("WSNODE_ADMIN_TOKEN_FILE")
        .hasMessageContaining("cannot be read");
  }

  @Test
  void anUnknownWsnodeNameStopsTheStartNamingTheClosestKnownOne() {
    assertThatThrownBy(
            () ->
                NodeConfig.fromEnv(
                    Map.of("WSNODE_MAX_CONECTIONS", "500", "WSNODE_PORT", "8081", "HOME", "/")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "WSNODE_MAX_CONECTIONS is not a ws-node setting (did you mean WSNODE_MAX_CONNECTIONS?)")
        .hasMessageContaining("WSNODE_PORT is not a ws-node setting");
  }

  @Test
  void namesOutsideTheWsnodePrefixAreNotOurs() {
    NodeConfig config = NodeConfig.fromEnv(Map.of("HOME", "/", "WSNODEX", "1", "JAVA_OPTS", "-X"));

    assertThat(config.clientPort()).isEqualTo(8080);
  }

  @Test
  void aSecretMayBeGivenBothWaysWithoutEitherBeingUnknown(@TempDir Path dir) throws Exception {
    Path token = dir.resolve("token");
    Files.writeString(token, "from-file");

    NodeConfig config =
        NodeConfig.fromEnv(
            Map.of("WSNODE_ADMIN_TOKEN", "inline", "WSNODE_ADMIN_TOKEN_FILE", token.toString()));

    assertThat(config.adminToken()).contains("from-file");
  }

  @Test
  void theServerReadsExactlyTheSettingsTheContractNames() {
    assertThat(NodeConfig.knownNames())
        .containsExactlyInAnyOrderElementsOf(
            Arrays.stream(Settings.values()).map(Settings::envName).toList());
  }

  @Test
  void theDefaultsAreTheContracts() {
    NodeConfig config = NodeConfig.defaults();

    assertThat(config.host()).isEqualTo(Settings.HOST.defaultValue().orElseThrow());
    assertThat(config.maxFrameBytes()).isEqualTo(Settings.MAX_FRAME_BYTES.defaultInt());
    assertThat(config.shutdownGrace()).hasSeconds(Settings.SHUTDOWN_GRACE_SECONDS.defaultInt());
  }
}
