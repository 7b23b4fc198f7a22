package io.driftguard.schemas.registry;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How to reach a schema registry. {@code urls} are tried in order when one cannot be reached;
 * {@code basicAuthUserInfo} is {@code user:password} or null; {@code tls} is null for the JVM's default trust.
 * {@code toString()} never shows passwords.
 */
public record RegistryClientConfig(List<URI> urls, String basicAuthUserInfo, Tls tls, Duration requestTimeout,
    int cacheCapacity) {

  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
  /** Confluent's {@code max.schemas.per.subject} default. */
  public static final int DEFAULT_CACHE_CAPACITY = 1000;

  public static final String URL = "schema.registry.url";
  public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
  public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
  public static final String SR_BASIC_AUTH_USER_INFO = "schema.registry.basic.auth.user.info";
  public static final String MAX_SCHEMAS_PER_SUBJECT = "max.schemas.per.subject";
  public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
  public static final String SSL_PREFIX = "schema.registry.ssl.";

  public RegistryClientConfig {
    Objects.requireNonNull(urls, "urls");
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("No schema registry URL given (" + URL + ")");
    }
    for (final URI url : urls) {
      final String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new IllegalArgumentException("Schema registry URL '" + url + "' must start with http:// or https://");
      }
      if (url.getHost() == null) {
        throw new IllegalArgumentException("Schema registry URL '" + url + "' has no host");
      }
    }
    urls = List.copyOf(urls);
    if (basicAuthUserInfo != null && !basicAuthUserInfo.contains(":")) {
      throw new IllegalArgumentException("Basic auth user info must be 'user:password' (" + BASIC_AUTH_USER_INFO
          + "), got a value without ':'");
    }
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("Schema registry request timeout must be positive, was " + requestTimeout);
    }
    if (cacheCapacity < 1) {
      throw new IllegalArgumentException("Schema cache capacity must be >= 1, was " + cacheCapacity);
    }
  }

  /** A plain-HTTP(S) config for one or more comma-separated URLs, without auth. */
  public static RegistryClientConfig of(final String urls) {
    return new RegistryClientConfig(parseUrls(urls), null, null, DEFAULT_REQUEST_TIMEOUT, DEFAULT_CACHE_CAPACITY);
  }

  public RegistryClientConfig withBasicAuth(final String userInfo) {
    return new RegistryClientConfig(urls, userInfo, tls, requestTimeout, cacheCapacity);
  }

  public RegistryClientConfig withTls(final Tls newTls) {
    return new RegistryClientConfig(urls, basicAuthUserInfo, newTls, requestTimeout, cacheCapacity);
  }

  /**
   * Reads Confluent's client property names: {@code schema.registry.url}, {@code basic.auth.credentials.source}
   * (USER_INFO, URL or SASL_INHERIT is refused), {@code basic.auth.user.info}, {@code schema.registry.ssl.*},
   * {@code max.schemas.per.subject}, {@code schema.registry.request.timeout.ms}.
   */
  public static RegistryClientConfig fromConfigs(final Map<String, ?> configs) {
    final Object rawUrl = configs.get(URL);
    if (rawUrl == null || rawUrl.toString().isBlank()) {
      throw new IllegalArgumentException("Missing required config '" + URL + "'");
    }
    final String urlString = rawUrl instanceof List<?> list
        ? String.join(",", list.stream().map(Object::toString).toList())
        : rawUrl.toString();
    final List<URI> urls = new ArrayList<>();
    String userInfo = null;
    for (final URI url : parseUrls(urlString)) {
      if (url.getUserInfo() != null) {
        userInfo = url.getUserInfo();
      }
      urls.add(stripUserInfo(url));
    }
    final String source = string(configs, BASIC_AUTH_CREDENTIALS_SOURCE, "URL").trim().toUpperCase(Locale.ROOT);
    switch (source) {
      case "URL" -> {
        // userInfo already taken from the URL, if any.
      }
      case "USER_INFO" -> {
        userInfo = string(configs, BASIC_AUTH_USER_INFO, string(configs, SR_BASIC_AUTH_USER_INFO, null));
        if (userInfo == null || userInfo.isBlank()) {
          throw new IllegalArgumentException(BASIC_AUTH_CREDENTIALS_SOURCE + "=USER_INFO needs '"
              + BASIC_AUTH_USER_INFO + "' set to user:password");
        }
      }
      default -> throw new IllegalArgumentException("Unsupported " + BASIC_AUTH_CREDENTIALS_SOURCE + " '" + source
          + "'; driftguard supports URL and USER_INFO");
    }
    final Duration timeout = Duration.ofMillis(
        longValue(configs, REQUEST_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT.toMillis()));
    final int capacity = (int) longValue(configs, MAX_SCHEMAS_PER_SUBJECT, DEFAULT_CACHE_CAPACITY);
    return new RegistryClientConfig(urls, userInfo, Tls.fromConfigs(configs), timeout, capacity);
  }

  @Override
  public String toString() {
    return "RegistryClientConfig[urls=" + urls + ", basicAuth=" + (basicAuthUserInfo == null ? "none"
        : basicAuthUserInfo.substring(0, basicAuthUserInfo.indexOf(':')) + ":****") + ", tls=" + tls
        + ", requestTimeout=" + requestTimeout + ", cacheCapacity=" + cacheCapacity + "]";
  }

  static List<URI> parseUrls(final String urls) {
    if (urls == null || urls.isBlank()) {
      throw new IllegalArgumentException("No schema registry URL given (" + URL + ")");
    }
    final List<URI> result = new ArrayList<>();
    for (final String part : urls.split(",")) {
      final String trimmed = part.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      try {
        result.add(URI.create(trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Schema registry URL '" + trimmed + "' is not a valid URI", e);
      }
    }
    return result;
  }

  private static URI stripUserInfo(final URI url) {
    if (url.getUserInfo() == null) {
      return url;
    }
    return URI.create(url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
        + (url.getRawPath() == null ? "" : url.getRawPath()));
  }

  static String string(final Map<String, ?> configs, final String key, final String fallback) {
    final Object value = configs.get(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof org.apache.kafka.common.config.types.Password password) {
      return password.value();
    }
    return value.toString();
  }

  static long longValue(final Map<String, ?> configs, final String key, final long fallback) {
    final Object value = configs.get(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Number number) {
      return number.longValue();
    }
    try {
      return Long.parseLong(value.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Config '" + key + "' must be a number, was '" + value + "'", e);
    }
  }

  /** TLS material for https registries. Null paths mean "use the JVM default". */
  public record Tls(Path truststorePath, String truststorePassword, String truststoreType, Path keystorePath,
      String keystorePassword, String keystoreType, String keyPassword) {

    public Tls {
      if (truststorePath == null && keystorePath == null) {
        throw new IllegalArgumentException("TLS config needs a truststore or a keystore path ("
            + SSL_PREFIX + "truststore.location / " + SSL_PREFIX + "keystore.location)");
      }
      truststoreType = truststoreType == null || truststoreType.isBlank() ? "PKCS12" : truststoreType;
      keystoreType = keystoreType == null || keystoreType.isBlank() ? "PKCS12" : keystoreType;
    }

    static Tls fromConfigs(final Map<String, ?> configs) {
      final String truststore = string(configs, SSL_PREFIX + "truststore.location", null);
      final String keystore = string(configs, SSL_PREFIX + "keystore.location", null);
      if ((truststore == null || truststore.isBlank()) && (keystore == null || keystore.isBlank())) {
        return null;
      }
      return new Tls(truststore == null || truststore.isBlank() ? null : Path.of(truststore),
          string(configs, SSL_PREFIX + "truststore.password", null),
          string(configs, SSL_PREFIX + "truststore.type", null),
          keystore == null || keystore.isBlank() ? null : Path.of(keystore),
          string(configs, SSL_PREFIX + "keystore.password", null),
          string(configs, SSL_PREFIX + "keystore.type", null),
          string(configs, SSL_PREFIX + "key.password", null));
    }

    @Override
    public String toString() {
      return "Tls[truststore=" + truststorePath + " (" + truststoreType + "), keystore=" + keystorePath + " ("
          + keystoreType + "), passwords=****]";
    }
  }
}
