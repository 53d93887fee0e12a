package io.wsfleet.operator.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.wsfleet.operator.api.WebSocketFleet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Build step (process-test-classes): generates the CRD with Fabric8's CRD generator and the CRD
 * reference of README.md into target/crds. With a second argument (the repository root) it also
 * refreshes the checked-in crds/ and README section: {@code mvn -pl operator -Pupdate-crds
 * process-test-classes}.
 */
public final class CrdGeneration {

  public static final String CRD_FILE = "websocketfleets.wsfleet.io-v1.yml";
  public static final String REFERENCE_FILE = "crd-reference.md";
  public static final String README_START = "<!-- crd-reference:start -->";
  public static final String README_END = "<!-- crd-reference:end -->";

  private CrdGeneration() {}

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args[0]);
    Files.createDirectories(out);
    new CRDGenerator()
        .customResourceClasses(WebSocketFleet.class)
        .forCRDVersions("v1")
        .withPostProcessor(new DeclaredColumnOrder(WebSocketFleet.class))
        .inOutputDir(out.toFile())
        .generate();
    Files.writeString(
        out.resolve(REFERENCE_FILE),
        CrdReference.render(WebSocketFleet.class),
        StandardCharsets.UTF_8);
    if (args.length > 1 && args[1] != null && !args[1].isBlank()) {
      Path repo = Path.of(args[1]);
      Files.copy(
          out.resolve(CRD_FILE),
          repo.resolve("crds").resolve(CRD_FILE),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Path readme = repo.resolve("README.md");
      Files.writeString(
          readme,
          withReference(Files.readString(readme), Files.readString(out.resolve(REFERENCE_FILE))));
    }
  }

  /** The README text with the part between the reference markers replaced. */
  public static String withReference(String readme, String reference) {
    int start = readme.indexOf(README_START);
    int end = readme.indexOf(README_END);
    if (start < 0 || end < start) {
      throw new IllegalStateException(
          "README.md lacks the markers " + README_START + " and " + README_END);
    }
    return readme.substring(0, start + README_START.length())
        + "\n"
        + reference
        + readme.substring(end);
  }

  /**
   * The generator sorts printer columns by JSON path; kubectl shows them in CRD order, so this puts
   * them back in the order the annotations declare them.
   */
  static final class DeclaredColumnOrder implements CRDPostProcessor {
    private final List<String> names;

    DeclaredColumnOrder(Class<?> resource) {
      this.names =
          Arrays.stream(resource.getAnnotationsByType(AdditionalPrinterColumn.class))
              .map(AdditionalPrinterColumn::name)
              .toList();
    }

    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
      if (crd instanceof CustomResourceDefinition definition) {
        definition
            .getSpec()
            .getVersions()
            .forEach(
                version ->
                    version
                        .getAdditionalPrinterColumns()
                        .sort(
                            Comparator.comparingInt(
                                (CustomResourceColumnDefinition column) ->
                                    names.indexOf(column.getName()))));
      }
      return crd;
    }
  }
}
