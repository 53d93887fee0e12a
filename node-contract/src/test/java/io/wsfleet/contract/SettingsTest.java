package io.wsfleet.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SettingsTest {

  @Test
  void everyNameCarriesThePrefixAndHasAMeaning() {
    for (Settings s : Settings.values()) {
      assertThat(s.envName()).startsWith(Settings.PREFIX).isEqualTo("WSNODE_" + s.name());
      assertThat(s.meaning()).isNotBlank();
      assertThat(Settings.ofEnvName(s.envName())).contains(s);
    }
  }

  @Test
  void numericDefaultsAreWholeNumbers() {
    assertThat(Settings.CLIENT_PORT.defaultInt()).isEqualTo(8080);
    assertThat(Settings.ADMIN_PORT.defaultInt()).isEqualTo(9090);
    assertThat(Settings.ADMIN_TOKEN.defaultValue()).isEmpty();
    assertThat(Settings.ofEnvName("WSNODE_NOPE")).isEmpty();
  }
}
