package io.driftguard.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryClientConfigTest {

  @Test
  void shouldReadConfluentPropertiesWhenCredentialsComeFromUserInfo() {
    // Given
    final Map<String, Object> props = Map.of(
        "schema.registry.url", "http://a:8081/, http://b:8081",
        "basic.auth.credentials.source", "USER_INFO",
        "basic.auth.user.info", "alice:s3cret",
        "schema.registry.ssl.truststore.location", "/tmp/trust.p12",
        "schema.registry.ssl.truststore.password", "tpw",
        "max.schemas.per.subject", "50",
        "schema.registry.request.timeout.ms", 2500);

    // When
    final RegistryClientConfig config = RegistryClientConfig.fromConfigs(props);

    // Then
    assertThat(config.urls()).containsExactly(URI.create("http://a:8081"), URI.create("http://b:8081"));
    assertThat(config.basicAuthUserInfo()).isEqualTo("alice:s3cret");
    assertThat(config.tls().truststorePath()).isEqualTo(Path.of("/tmp/trust.p12"));
    assertThat(config.tls().truststoreType()).isEqualTo("PKCS12");
    assertThat(config.cacheCapacity()).isEqualTo(50);
    assertThat(config.requestTimeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(config.toString()).doesNotContain("s3cret").doesNotContain("tpw").contains("alice");
  }

  @Test
  void shouldTakeCredentialsFromUrlWhenSourceIsUrl() {
    final RegistryClientConfig config = RegistryClientConfig.fromConfigs(
        Map.of("schema.registry.url", "https://bob:pw@registry.example:443"));
    assertThat(config.basicAuthUserInfo()).isEqualTo("bob:pw");
    assertThat(config.urls()).containsExactly(URI.create("https://registry.example:443"));
  }

  @Test
  void shouldNameTheKeyWhenConfigIsBad() {
    assertThatThrownBy(() -> RegistryClientConfig.fromConfigs(Map.of()))
        .hasMessageContaining("schema.registry.url");
    assertThatThrownBy(() -> RegistryClientConfig.of("ftp://x"))
        .hasMessageContaining("ftp://x");
    assertThatThrownBy(() -> RegistryClientConfig.fromConfigs(Map.of("schema.registry.url", "http://x",
        "basic.auth.credentials.source", "USER_INFO")))
        .hasMessageContaining("basic.auth.user.info");
    assertThatThrownBy(() -> RegistryClientConfig.fromConfigs(Map.of("schema.registry.url", "http://x",
        "max.schemas.per.subject", "lots")))
        .hasMessageContaining("max.schemas.per.subject");
    assertThatThrownBy(() -> new RegistryClientConfig(List.of(URI.create("http://x")), "nocolon", null,
        Duration.ofSeconds(1), 10))
        .hasMessageContaining("user:password");
  }
}
