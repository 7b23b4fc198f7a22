package io.driftguard.schemas.serde;

import io.driftguard.schemas.registry.InMemorySchemaRegistryClient;
import io.driftguard.schemas.registry.RegistryClientConfig;
import io.driftguard.schemas.registry.RestSchemaRegistryClient;
import io.driftguard.schemas.registry.SchemaRegistryClient;
import java.util.Map;

/** Builds the registry client a serde configured by class name uses. {@code mock://scope} gives an in-memory one. */
final class RegistryClients {
  private static final String MOCK = "mock://";

  private RegistryClients() {
  }

  static SchemaRegistryClient fromConfigs(final Map<String, ?> configs) {
    final Object url = configs.get(RegistryClientConfig.URL);
    if (url == null || url.toString().isBlank()) {
      throw new IllegalArgumentException("Missing required config '" + RegistryClientConfig.URL
          + "' for the driftguard Avro serde");
    }
    final String text = url.toString().trim();
    if (text.startsWith(MOCK)) {
      return InMemorySchemaRegistryClient.forScope(text.substring(MOCK.length()));
    }
    return new RestSchemaRegistryClient(RegistryClientConfig.fromConfigs(configs));
  }
}
