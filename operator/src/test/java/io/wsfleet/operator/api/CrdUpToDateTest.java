package io.wsfleet.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.wsfleet.localcluster.ControlPlane;
import io.wsfleet.operator.crd.CrdGeneration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The checked-in CRD and README reference are exactly what the build generates. */
class CrdUpToDateTest {

  private static final String HOW_TO_FIX =
      "crds/ or README.md is stale: run `mvn -pl operator -Pupdate-crds process-test-classes`"
          + " and commit the result";

  private final Path repo = ControlPlane.repoRoot();
  private final Path generated = repo.resolve("operator/target/crds");

  @Test
  void checkedInCrdMatchesGenerated() throws IOException {
    assertThat(Files.readString(repo.resolve("crds").resolve(CrdGeneration.CRD_FILE)))
        .as(HOW_TO_FIX)
        .isEqualTo(Files.readString(generated.resolve(CrdGeneration.CRD_FILE)));
  }

  @Test
  void readmeReferenceMatchesGenerated() throws IOException {
    String readme = Files.readString(repo.resolve("README.md"));
    String reference = Files.readString(generated.resolve(CrdGeneration.REFERENCE_FILE));
    assertThat(readme).as(HOW_TO_FIX).isEqualTo(CrdGeneration.withReference(readme, reference));
  }

  @Test
  void printerColumnsKeepTheDeclaredOrder() throws IOException {
    String crd = Files.readString(generated.resolve(CrdGeneration.CRD_FILE));
    assertThat(crd)
        .containsSubsequence(
            "name: \"Desired\"",
            "name: \"Ready\"",
            "name: \"Draining\"",
            "name: \"Connections\"",
            "name: \"Target/Pod\"",
            "name: \"Age\"");
  }
}
