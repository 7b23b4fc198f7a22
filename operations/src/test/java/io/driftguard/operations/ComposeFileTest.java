package io.driftguard.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftguard.drift.DriftApp;
import io.driftguard.drift.config.DriftMonitorConfig;
import io.driftguard.drift.policy.RollbackPolicy;
import io.driftguard.features.FeatureApp;
import io.driftguard.features.FeatureStreamSettings;
import io.driftguard.platform.config.ConfigException;
import io.driftguard.platform.config.ConfigLoader;
import io.driftguard.platform.config.DriftguardConfig;
import io.driftguard.platform.config.LoadedConfig;
import io.driftguard.scoring.ScoringConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml, checked without Docker: every local file it (or the Dockerfile) references exists, and the
 * ports, environment and service names agree with the app configs in deploy/, prometheus/ and grafana/.
 */
class ComposeFileTest {
  private static final String COMPOSE = "docker-compose.yml";
  /** Compose service -> the {@code driftguard run} app it runs. */
  private static final Map<String, String> APPS = Map.of("feature-stream", "feature-stream",
      "scoring-stream", "scoring-stream", "drift-monitor", "drift-monitor");
  private static final Set<String> REQUIRED_SERVICES = Set.of("kafka", "schema-registry", "feature-stream",
      "scoring-stream", "drift-monitor", "prometheus", "alertmanager", "grafana");
  /** The scoring section's name, as the CLI's {@code run scoring-stream} registers it. */
  private static final String SCORING_SECTION = "scoring";
  private static final Pattern HEALTH_URL = Pattern.compile("http://localhost:(\\d+)(/[^\\s\"]*)");

  private final JsonNode compose = Yaml.yaml(COMPOSE);
  private final JsonNode services = compose.path("services");

  @Test
  void shouldReferenceOnlyExistingLocalFilesWhenComposeAndDockerfileAreRead() {
    // Given
    final List<String> referenced = new ArrayList<>();
    services.fields().forEachRemaining(service -> {
      final JsonNode build = service.getValue().path("build");
      if (!build.isMissingNode()) {
        final String context = build.isTextual() ? build.asText() : build.path("context").asText(".");
        referenced.add(context);
        referenced.add(Path.of(context).resolve(build.path("dockerfile").asText("Dockerfile")).toString());
      }
      for (final JsonNode volume : service.getValue().path("volumes")) {
        final String source = volume.isTextual() ? volume.asText().split(":")[0] : volume.path("source").asText();
        if (source.startsWith(".") || source.startsWith("/")) {
          referenced.add(source);
        }
      }
      service.getValue().path("env_file").forEach(f -> referenced.add(f.asText()));
    });
    compose.path("secrets").forEach(secret -> referenced.add(secret.path("file").asText()));
    compose.path("configs").forEach(config -> referenced.add(config.path("file").asText()));
    for (final String line : Repo.read("Dockerfile").split("\n")) {
      if (line.startsWith("COPY ")) {
        final String[] parts = line.trim().split("\\s+");
        // The shaded jar is a build output; its path must be the one the cli module and the launcher produce.
        Arrays.asList(parts).subList(1, parts.length - 1).stream()
            .filter(source -> !source.startsWith("--") && !source.contains("/target/")).forEach(referenced::add);
      }
    }

    // When
    final List<String> missing = referenced.stream().filter(path -> !Files.exists(Repo.root().resolve(path)))
        .toList();

    // Then
    assertThat(referenced).hasSizeGreaterThan(10);
    assertThat(missing).as("local files referenced by %s or the Dockerfile that do not exist", COMPOSE).isEmpty();
    assertThat(Repo.read("Dockerfile")).contains("COPY cli/target/driftguard.jar ");
    assertThat(Repo.read("cli/pom.xml")).contains("<finalName>driftguard</finalName>");
    assertThat(Repo.read("driftguard")).contains("cli/target/driftguard.jar");
  }

  @Test
  void shouldRunEveryServiceWithHealthchecksAndHealthyDependenciesWhenComposeIsRead() {
    // Given
    final Set<String> names = new TreeSet<>();
    services.fieldNames().forEachRemaining(names::add);

    // When
    final Map<String, String> problems = new TreeMap<>();
    services.fields().forEachRemaining(service -> service.getValue().path("depends_on").fields()
        .forEachRemaining(dependency -> {
          final JsonNode target = services.path(dependency.getKey());
          final String condition = dependency.getValue().path("condition").asText();
          if (target.isMissingNode()) {
            problems.put(service.getKey(), "depends on unknown service " + dependency.getKey());
          } else if (condition.equals("service_healthy") && target.path("healthcheck").isMissingNode()) {
            problems.put(service.getKey(), "waits for " + dependency.getKey() + " to be healthy, which has no "
                + "healthcheck");
          } else if (condition.isEmpty()) {
            problems.put(service.getKey(), "depends on " + dependency.getKey() + " without a condition");
          }
        }));

    // Then
    assertThat(names).containsAll(REQUIRED_SERVICES);
    assertThat(problems).isEmpty();
    assertThat(services.path("kafka").path("image").asText()).startsWith("apache/kafka:");
    assertThat(services.path("kafka").path("environment").path("KAFKA_PROCESS_ROLES").asText())
        .isEqualTo("broker,controller");
    assertThat(services.path("schema-registry").path("image").asText()).startsWith("confluentinc/cp-schema-registry:");
    for (final String app : APPS.keySet()) {
      assertThat(services.path(app).path("depends_on").path("kafka").path("condition").asText())
          .as("%s waits for a healthy kafka", app).isEqualTo("service_healthy");
      assertThat(services.path(app).path("depends_on").path("schema-registry").path("condition").asText())
          .as("%s waits for a healthy schema registry", app).isEqualTo("service_healthy");
    }
  }

  @Test
  void shouldAgreeOnPortsHostsAndEnvWhenEachAppConfigIsLoadedWithItsComposeEnvironment() {
    // Given
    final String kafkaAddress = listener(services.path("kafka").path("environment")
        .path("KAFKA_ADVERTISED_LISTENERS").asText(), "PLAINTEXT");
    final URI registryListener = URI.create(services.path("schema-registry").path("environment")
        .path("SCHEMA_REGISTRY_LISTENERS").asText());
    final Map<String, String> scrapeTargets = scrapeTargets();

    for (final Map.Entry<String, String> entry : APPS.entrySet()) {
      final String service = entry.getKey();
      final JsonNode definition = services.path(service);

      // When
      final List<String> command = texts(definition.path("command"));
      final int config = command.indexOf("--config");
      assertThat(command.subList(0, 2)).as("%s command", service).containsExactly("run", entry.getValue());
      assertThat(config).as("%s passes --config", service).isPositive();
      final String configFile = hostPathOf(definition, command.get(config + 1));
      final Map<String, String> env = environment(definition);
      final DriftguardConfig loaded = loadApp(service, configFile, env,
          path -> hostPathOf(definition, path)).common();

      // Then
      final int port = loaded.metrics().port();
      assertThat(loaded.metrics().host()).as("%s metrics.host must accept connections from other containers",
          configFile).isEqualTo("0.0.0.0");
      assertThat(loaded.kafka().bootstrapServers()).as("%s kafka.bootstrapServers", configFile)
          .isEqualTo(kafkaAddress);
      final URI registry = URI.create(loaded.schemaRegistry().url());
      assertThat(registry.getHost() + ":" + registry.getPort()).as("%s schemaRegistry.url", configFile)
          .isEqualTo("schema-registry:" + registryListener.getPort());
      final Matcher health = HEALTH_URL.matcher(texts(definition.path("healthcheck").path("test")).toString());
      assertThat(health.find()).as("%s healthcheck calls http://localhost:<port>/...", service).isTrue();
      assertThat(Integer.parseInt(health.group(1))).as("%s healthcheck port = metrics.port", service)
          .isEqualTo(port);
      assertThat(health.group(2)).as("%s healthcheck path", service).isEqualTo("/health/ready");
      assertThat(texts(definition.path("ports"))).as("%s published ports", service).contains(port + ":" + port);
      assertThat(scrapeTargets).as("prometheus scrape target of %s", service)
          .containsEntry(service + ":" + port, loaded.applicationId());
      if (loaded.streams().applicationServer() != null) {
        assertThat(loaded.streams().applicationServer()).as("%s streams.applicationServer", configFile)
            .isEqualTo(service + ":" + port);
      }
      for (final String name : env.keySet()) {
        if (name.startsWith("DRIFTGUARD_")) {
          assertThat(ConfigLoader.withEnv(Map.of()).keyFor(name)).as("%s env %s maps to a common config key",
              service, name).isNotNull();
        }
      }
    }
  }

  @Test
  void shouldRefuseAnAppConfigWhenASectionKeyIsMisspelt() {
    // Given: drift-monitor's compose config with one key of its own section misspelt
    final String configFile = "deploy/drift-monitor.yaml";
    final String misspelt = Repo.read(configFile).replace("  registryDir:", "  registryDirectory:");
    assertThat(misspelt).as("the edit took").contains("registryDirectory");

    // When / Then: the same loader the test above uses refuses it, naming the key
    assertThatThrownBy(() -> DriftApp.configLoader(Map.of()).loadYaml(misspelt, configFile))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("registryDirectory");
  }

  @Test
  void shouldWirePrometheusAlertmanagerAndGrafanaToEachOtherWhenTheirConfigsAreRead() {
    // Given
    final JsonNode prometheusConfig = Yaml.yaml("prometheus/prometheus.yml");
    final JsonNode alertmanagerConfig = Yaml.yaml(AlertmanagerConfigTest.CONFIG);
    final JsonNode datasource = Yaml.yaml("grafana/provisioning/datasources/prometheus.yml").path("datasources")
        .path(0);
    final JsonNode provider = Yaml.yaml("grafana/provisioning/dashboards/driftguard.yml").path("providers").path(0);

    // When
    final String alertmanagerTarget = prometheusConfig.path("alerting").path("alertmanagers").path(0)
        .path("static_configs").path(0).path("targets").path(0).asText();
    String webhook = null;
    String credentialsFile = null;
    for (final JsonNode receiver : alertmanagerConfig.path("receivers")) {
      for (final JsonNode hook : receiver.path("webhook_configs")) {
        webhook = hook.path("url").asText();
        credentialsFile = hook.path("http_config").path("authorization").path("credentials_file").asText();
      }
    }
    final URI webhookUri = URI.create(webhook);
    final URI datasourceUri = URI.create(datasource.path("url").asText());

    // Then
    assertThat(hostPathOf(services.path("prometheus"), "/etc/prometheus/prometheus.yml"))
        .isEqualTo("prometheus/prometheus.yml");
    assertThat(prometheusConfig.path("rule_files").path(0).asText())
        .as("rule files are where compose mounts prometheus/rules").startsWith("/etc/prometheus/rules/");
    assertThat(hostPathOf(services.path("prometheus"), "/etc/prometheus/rules")).isEqualTo("prometheus/rules");
    assertThat(texts(services.path("prometheus").path("command")))
        .contains("--config.file=/etc/prometheus/prometheus.yml");
    assertThat(alertmanagerTarget).isEqualTo("alertmanager:" + publishedContainerPort("alertmanager"));
    final List<String> jobs = new ArrayList<>();
    prometheusConfig.path("scrape_configs").forEach(job -> jobs.add(job.path("job_name").asText()));
    final String notRunning = Rules.load().alerts().stream().filter(a -> a.name().equals("StreamsAppNotRunning"))
        .findFirst().orElseThrow().expr();
    assertThat(notRunning).as("StreamsAppNotRunning watches the apps' scrape job").contains("job=\"driftguard\"");
    assertThat(jobs).contains("driftguard");
    assertThat(hostPathOf(services.path("alertmanager"), "/etc/alertmanager/alertmanager.yml"))
        .isEqualTo(AlertmanagerConfigTest.CONFIG);
    final JsonNode driftService = services.path("drift-monitor");
    final int driftPort = loadApp("drift-monitor", hostPathOf(driftService, "/etc/driftguard/drift-monitor.yaml"),
        environment(driftService), path -> hostPathOf(driftService, path)).common().metrics().port();
    assertThat(webhookUri.getHost() + ":" + webhookUri.getPort()).as("Alertmanager webhook -> drift-monitor")
        .isEqualTo("drift-monitor:" + driftPort);
    assertThat(secretTargets(services.path("alertmanager"))).as("the webhook's credentials_file is mounted")
        .contains(credentialsFile);
    final String tokenFile = environment(services.path("drift-monitor")).get("ROLLBACK_TOKEN_FILE");
    assertThat(tokenFile).as("drift-monitor reads the same token secret").isNotNull();
    assertThat(secretTargets(services.path("drift-monitor"))).contains(tokenFile);
    assertThat(datasourceUri.getHost() + ":" + datasourceUri.getPort())
        .isEqualTo("prometheus:" + publishedContainerPort("prometheus"));
    assertThat(hostPathOf(services.path("grafana"), "/etc/grafana/provisioning")).isEqualTo("grafana/provisioning");
    assertThat(hostPathOf(services.path("grafana"), provider.path("options").path("path").asText()))
        .isEqualTo(Dashboards.DIR);
  }

  /** The first address of the named listener in a Kafka listener list. */
  private static String listener(final String listeners, final String name) {
    for (final String listener : listeners.split(",")) {
      if (listener.startsWith(name + "://")) {
        return listener.substring(name.length() + 3);
      }
    }
    throw new AssertionError("no " + name + " listener in '" + listeners + "'");
  }

  /** Scrape target -> its static {@code app} label, from prometheus/prometheus.yml. */
  private static Map<String, String> scrapeTargets() {
    final Map<String, String> targets = new TreeMap<>();
    for (final JsonNode job : Yaml.yaml("prometheus/prometheus.yml").path("scrape_configs")) {
      for (final JsonNode staticConfig : job.path("static_configs")) {
        staticConfig.path("targets").forEach(t -> targets.put(t.asText(), staticConfig.path("labels")
            .path("app").asText(null)));
      }
    }
    return targets;
  }

  /** The repository-relative file compose mounts at {@code containerPath}. */
  private static String hostPathOf(final JsonNode service, final String containerPath) {
    for (final JsonNode volume : service.path("volumes")) {
      final String[] parts = volume.asText().split(":");
      if (parts.length >= 2 && parts[1].equals(containerPath) && parts[0].startsWith("./")) {
        return Path.of(parts[0].substring(2)).normalize().toString();
      }
    }
    throw new AssertionError("no local file is mounted at " + containerPath + " in " + service);
  }

  private static Set<String> secretTargets(final JsonNode service) {
    final Set<String> targets = new TreeSet<>();
    for (final JsonNode secret : service.path("secrets")) {
      targets.add(secret.isTextual() ? "/run/secrets/" + secret.asText()
          : secret.path("target").asText("/run/secrets/" + secret.path("source").asText()));
    }
    return targets;
  }

  private int publishedContainerPort(final String service) {
    final String mapping = services.path(service).path("ports").path(0).asText();
    return Integer.parseInt(mapping.substring(mapping.lastIndexOf(':') + 1));
  }

  private static Map<String, String> environment(final JsonNode service) {
    final Map<String, String> env = new HashMap<>();
    final JsonNode environment = service.path("environment");
    if (environment.isArray()) {
      environment.forEach(e -> {
        final String[] kv = e.asText().split("=", 2);
        env.put(kv[0], kv.length > 1 ? kv[1] : "");
      });
    } else {
      environment.fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
    }
    return env;
  }

  /**
   * An app config exactly as the app loads it: the whole YAML, every section through the app's own config loader
   * and record (so a misspelt key or a bad value fails here as it would at start-up), then the compose environment.
   */
  static LoadedConfig loadApp(final String service, final String configFile, final Map<String, String> env,
      final UnaryOperator<String> hostPath) {
    final Map<String, String> configEnv = new HashMap<>();
    env.forEach((name, value) -> {
      if (name.startsWith("DRIFTGUARD_") || name.startsWith("KAFKA_")) {
        configEnv.put(name, value);
      }
    });
    final String yaml = Repo.read(configFile);
    final LoadedConfig loaded;
    switch (service) {
      case "feature-stream" -> {
        loaded = FeatureApp.configLoader(configEnv).loadYaml(yaml, configFile);
        // The feature set itself is loaded too: a wrong featureSet reference fails here, not in the container.
        FeatureApp.loadFeatureSet(loaded.section(FeatureApp.SECTION, FeatureStreamSettings.class));
      }
      case "scoring-stream" -> {
        // The sections `driftguard run scoring-stream` registers (cli ScoringStreamApp.SECTIONS).
        loaded = ConfigLoader.withEnv(configEnv).withSection(SCORING_SECTION, ScoringConfig.class)
            .withSection(FeatureApp.SECTION, FeatureStreamSettings.class).loadYaml(yaml, configFile);
        loaded.section(SCORING_SECTION, ScoringConfig.class);
      }
      case "drift-monitor" -> {
        loaded = DriftApp.configLoader(configEnv).loadYaml(yaml, configFile);
        final DriftMonitorConfig drift = loaded.section(DriftApp.SECTION, DriftMonitorConfig.class);
        if (drift.rollbackPolicyFile() != null) {
          // The policy file is mounted into the container: parse the mounted host file with the monitor's parser.
          RollbackPolicy.fromYaml(Repo.read(hostPath.apply(drift.rollbackPolicyFile().toString())));
        }
      }
      default -> throw new AssertionError("no config loader known for service " + service);
    }
    return loaded;
  }

  private static List<String> texts(final JsonNode node) {
    final List<String> out = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(n -> out.add(n.asText()));
    } else if (!node.isMissingNode()) {
      out.addAll(Arrays.asList(node.asText().split("\\s+")));
    }
    return out;
  }
}
