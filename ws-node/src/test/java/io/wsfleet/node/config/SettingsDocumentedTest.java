package io.wsfleet.node.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.wsfleet.contract.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * README's settings table and docs/node-contract.md against the contract's {@link Settings}: every
 * setting documented with the default the server uses, and no documented name the server refuses.
 */
class SettingsDocumentedTest {

  private static final Path ROOT =
      Path.of(System.getProperty("wsfleet.repoRoot", "..")).toAbsolutePath().normalize();

  /** A settings row: the names cell (one or two names) and the default cell. */
  private static final Pattern ROW =
      Pattern.compile(
          "^\\| (`WSNODE_[A-Z_]+`(?: / `WSNODE_[A-Z_]+`)?) \\| ([^|]+) \\|", Pattern.MULTILINE);

  private static final Pattern NAME = Pattern.compile("WSNODE_[A-Z_]+");

  /**
   * Names the docs mention as what is not a setting: the prefix itself, the typo of the
   * unknown-name example, and the service variables Kubernetes would inject.
   */
  private static final Set<String> NOT_SETTINGS =
      Set.of("WSNODE", "WSNODE_MAX_CONECTIONS", "WSNODE_SERVICE_HOST", "WSNODE_PORT");

  @Test
  void readmeListsEverySettingWithItsDefault() throws IOException {
    Map<String, String> documented = new HashMap<>();
    Matcher row = ROW.matcher(Files.readString(ROOT.resolve("README.md")));
    while (row.find()) {
      Matcher name = NAME.matcher(row.group(1));
      while (name.find()) {
        documented.put(name.group(), row.group(2).trim());
      }
    }

    for (Settings setting : Settings.values()) {
      assertThat(documented).as("README settings table").containsKey(setting.envName());
      assertThat(documented.get(setting.envName()))
          .as("README default of %s", setting.envName())
          .isEqualTo(setting.defaultValue().map(d -> "`" + d + "`").orElse("none"));
    }
  }

  @Test
  void everyNameTheDocsMentionIsOneTheServerKnows() throws IOException {
    for (String doc : new String[] {"README.md", "docs/node-contract.md"}) {
      Matcher name = NAME.matcher(Files.readString(ROOT.resolve(doc)));
      while (name.find()) {
        String found = name.group().replaceAll("_+$", "");
        if (!NOT_SETTINGS.contains(found)) {
          assertThat(NodeConfig.knownNames()).as("%s names %s", doc, found).contains(found);
        }
      }
    }
  }
}
