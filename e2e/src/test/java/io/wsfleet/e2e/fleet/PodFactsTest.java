package io.wsfleet.e2e.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodFactsTest {

  private static final String MOUNTINFO =
      String.join(
          "\n",
          "1201 1100 0:250 / / ro,relatime master:300 - overlay overlay rw,lowerdir=/l",
          "1202 1201 0:252 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw",
          "1210 1201 0:260 / /tmp rw,relatime - tmpfs tmpfs rw,size=24G",
          "1211 1201 0:261 / /var/run/wsfleet/admin-token ro,relatime - tmpfs tmpfs rw");

  @Test
  void readsTheRealUidFromProcStatus() {
    String status = "Name:\tjava\nUmask:\t0022\nUid:\t10001\t10001\t10001\t10001\nGid:\t10001\n";
    assertThat(PodFacts.uid(status)).isEqualTo(10001);
    assertThat(PodFacts.uid("Name:\tjava\n")).isEqualTo(-1);
  }

  @Test
  void readsPerMountOptionsAndTheLastMountOnAPointWins() {
    assertThat(PodFacts.mountOptions(MOUNTINFO, "/")).contains(List.of("ro", "relatime"));
    assertThat(PodFacts.mountOptions(MOUNTINFO, "/tmp")).contains(List.of("rw", "relatime"));
    assertThat(PodFacts.mountOptions(MOUNTINFO, PodFacts.TOKEN_DIR)).isPresent();
    assertThat(PodFacts.mountOptions(MOUNTINFO, "/var/run/secrets")).isEmpty();
    String remounted = MOUNTINFO + "\n1300 1201 0:250 / / rw,relatime - overlay overlay rw";
    assertThat(PodFacts.mountOptions(remounted, "/")).contains(List.of("rw", "relatime"));
  }

  @Test
  void aServerThatIsNotWhatTheSpecAskedFails() {
    Map<String, Object> good =
        Map.of(
            "pod",
            "chat-a",
            "uid",
            10001L,
            "readOnlyRoot",
            true,
            "tokenMounted",
            true,
            "tmpWritable",
            true);
    assertThat(FleetVerdict.podFactFailures(List.of(good))).isEmpty();
    assertThat(FleetVerdict.podFactFailures(List.of())).hasSize(1);
    for (var broken :
        List.of(
            Map.of("uid", 0L),
            Map.of("readOnlyRoot", false),
            Map.of("tokenMounted", false),
            Map.of("tmpWritable", false))) {
      Map<String, Object> facts = new java.util.HashMap<>(good);
      facts.putAll(broken);
      assertThat(FleetVerdict.podFactFailures(List.of(facts))).as(broken.toString()).hasSize(1);
    }
    assertThat(FleetVerdict.podFactFailures(List.of(Map.of("pod", "x", "error", "no container"))))
        .hasSize(1);
  }
}
