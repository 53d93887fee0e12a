package io.wsfleet.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.wsfleet.operator.api.FleetSettings;
import io.wsfleet.operator.crd.CrdGeneration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The build tags its images {@code wsfleet/<name>:<project version>} (jib-maven-plugin, parent
 * pom); every place that names an image by default names exactly those.
 */
class ImageNamesTest {

  private static final String HOW_TO_FIX =
      "after a version change, update the image tag in manifests/, FleetSettings.DEFAULT_IMAGE and"
          + " crds/ (mvn -pl operator -Pupdate-crds process-test-classes)";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final Path repo =
      Path.of(System.getProperty("wsfleet.repoRoot", "..")).toAbsolutePath().normalize();
  private final String version = projectVersion(repo);

  @Test
  void theDefaultWsNodeImageIsTheOneTheBuildMakes() {
    assertThat(FleetSettings.DEFAULT_IMAGE).as(HOW_TO_FIX).isEqualTo("wsfleet/ws-node:" + version);
  }

  @Test
  void theCrdDefaultsToTheWsNodeImageOfThisBuild() throws IOException {
    JsonNode crd = YAML.readTree(repo.resolve("crds").resolve(CrdGeneration.CRD_FILE).toFile());
    JsonNode image =
        crd.at(
            "/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/template"
                + "/properties/image");
    assertThat(image.path("default").asText()).as(HOW_TO_FIX).isEqualTo(wsNodeImage());
    assertThat(image.path("description").asText()).as(HOW_TO_FIX).contains(wsNodeImage());
  }

  @Test
  void theOperatorDeploymentRunsTheOperatorImageOfThisBuild() throws IOException {
    JsonNode deployment =
        YAML.readTree(repo.resolve("manifests/operator/05-deployment.yaml").toFile());
    JsonNode containers = deployment.at("/spec/template/spec/containers");
    assertThat(containers.size()).isEqualTo(1);
    assertThat(containers.get(0).path("image").asText())
        .as(HOW_TO_FIX)
        .isEqualTo("wsfleet/operator:" + version);
  }

  @Test
  void theSampleFleetRunsTheWsNodeImageOfThisBuild() throws IOException {
    JsonNode fleet = YAML.readTree(repo.resolve("manifests/sample-fleet.yaml").toFile());
    assertThat(fleet.at("/spec/template/image").asText()).as(HOW_TO_FIX).isEqualTo(wsNodeImage());
  }

  @Test
  void theKustomizationForImageOverridesInstallsEveryOperatorManifest() throws IOException {
    JsonNode kustomization = YAML.readTree(repo.resolve("manifests/kustomization.yaml").toFile());
    List<String> listed = new ArrayList<>();
    kustomization.path("resources").forEach(r -> listed.add(r.asText()));
    List<String> files;
    try (Stream<Path> dir = Files.list(repo.resolve("manifests/operator"))) {
      files =
          dir.filter(Files::isRegularFile)
              .map(p -> "operator/" + p.getFileName())
              .filter(name -> name.endsWith(".yaml") || name.endsWith(".yml"))
              .sorted()
              .toList();
    }
    assertThat(listed).as("manifests/kustomization.yaml resources").isEqualTo(files);
  }

  private String wsNodeImage() {
    return "wsfleet/ws-node:" + version;
  }

  /** Set by surefire (parent pom); read from the parent pom when a test runs outside Maven. */
  private static String projectVersion(Path repo) {
    String version = System.getProperty("wsfleet.projectVersion");
    if (version != null && !version.isBlank()) {
      return version;
    }
    try {
      String pom = Files.readString(repo.resolve("pom.xml"));
      Matcher m =
          Pattern.compile("<artifactId>wsfleet-parent</artifactId>\\s*<version>([^<]+)</version>")
              .matcher(pom);
      assertThat(m.find()).as("the parent pom's version in " + repo.resolve("pom.xml")).isTrue();
      return m.group(1).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
