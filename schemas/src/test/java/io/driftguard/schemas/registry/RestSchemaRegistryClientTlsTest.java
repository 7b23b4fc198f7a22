package io.driftguard.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client over real TLS: a self-signed server certificate made with the JDK's keytool. */
class RestSchemaRegistryClientTlsTest {
  private static final String PASSWORD = "changeit";

  @TempDir
  static Path dir;
  private static HttpsServer server;
  private static String url;

  private static void keytool(final String... args) throws IOException, InterruptedException {
    final List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IllegalStateException("keytool " + List.of(args) + " failed: " + output);
    }
  }

  @BeforeAll
  static void startHttpsServer() throws Exception {
    final Path serverStore = dir.resolve("server.p12");
    keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
        "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
        "-keystore", serverStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
    final KeyStore keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(serverStore)) {
      keyStore.load(in, PASSWORD.toCharArray());
    }
    // The truststore holds only the server's certificate, as a client's would.
    final KeyStore trustStore = KeyStore.getInstance("PKCS12");
    trustStore.load(null, null);
    trustStore.setCertificateEntry("server", keyStore.getCertificate("server"));
    try (OutputStream out = Files.newOutputStream(dir.resolve("trust.p12"))) {
      trustStore.store(out, PASSWORD.toCharArray());
    }
    final KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(keyStore, PASSWORD.toCharArray());
    final SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(context));
    server.createContext("/subjects", exchange -> {
      final byte[] body = "[\"tls-value\"]".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    url = "https://localhost:" + server.getAddress().getPort();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void shouldTalkTlsWhenTruststoreTrustsTheServer() {
    // Given: the Confluent ssl properties
    final RegistryClientConfig config = RegistryClientConfig.fromConfigs(Map.of(
        "schema.registry.url", url,
        "schema.registry.ssl.truststore.location", dir.resolve("trust.p12").toString(),
        "schema.registry.ssl.truststore.password", PASSWORD,
        "schema.registry.ssl.truststore.type", "PKCS12"));

    // When
    final List<String> subjects = new RestSchemaRegistryClient(config).subjects();

    // Then
    assertThat(subjects).containsExactly("tls-value");
  }

  @Test
  void shouldFailAsTransportErrorWhenServerIsNotTrusted() {
    final RestSchemaRegistryClient client = new RestSchemaRegistryClient(
        RegistryClientConfig.of(url).withTls(null));
    assertThatThrownBy(client::subjects)
        .isInstanceOfSatisfying(SchemaRegistryException.class,
            e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.TRANSPORT_ERROR))
        .hasMessageContaining(url);
  }

  @Test
  void shouldNameTheFileWhenTruststoreIsMissing() {
    final Path missing = dir.resolve("missing.p12");
    final RegistryClientConfig config = RegistryClientConfig.of(url).withTls(new RegistryClientConfig.Tls(
        missing, PASSWORD, "PKCS12", null, null, null, null));
    assertThatThrownBy(() -> new RestSchemaRegistryClient(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(missing.toString());
  }

  @Test
  void shouldKeepTimeoutWhenBuiltFromConfigs() {
    final RegistryClientConfig config = RegistryClientConfig.fromConfigs(Map.of("schema.registry.url", url,
        "schema.registry.request.timeout.ms", "1500"));
    assertThat(config.requestTimeout()).isEqualTo(Duration.ofMillis(1500));
  }
}
