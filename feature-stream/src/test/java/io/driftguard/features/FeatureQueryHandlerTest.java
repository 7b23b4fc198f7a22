package io.driftguard.features;

import static io.driftguard.features.Txns.T0;
import static io.driftguard.features.Txns.txn;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.driftguard.avro.Transaction;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /features/{id}} over real HTTP on the topology's stores, with the wall clock under test control. */
class FeatureQueryHandlerTest {
  private static final String YAML = "name: q\nentityKey: cardId\ntimestamp: eventTime\neventId: eventId\n"
      + "idleTtl: 1d\nfeatures:\n"
      + "  - {name: quick, aggregation: count, window: {type: sliding, size: 10m, grace: 1m}, freshnessSla: 10m}\n"
      + "  - {name: slow, source: amount, aggregation: sum, window: {type: sliding, size: 1h, grace: 1m}, freshnessSla: 1h}\n"
      + "  - {name: online, aggregation: count, filter: channel == ONLINE, window: {type: sliding, size: 1h}, freshnessSla: 1h}\n";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path stateDir;
  private TopologyHarness h;
  private HttpServer server;
  private final MutableClock clock = new MutableClock(T0);
  private final HttpClient http = HttpClient.newHttpClient();

  /** A wall clock the test moves. */
  private static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(final Instant now) {
      this.now = now;
    }

    void set(final Instant instant) {
      now = instant;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(final ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @AfterEach
  void close() {
    if (server != null) {
      server.stop(0);
    }
    if (h != null) {
      h.close();
    }
  }

  private void serve() throws IOException {
    h = new TopologyHarness(FeatureSet.parse(YAML, Transaction.getClassSchema()), stateDir, T0.plusSeconds(60));
    final FeatureQueries queries = h.queries();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(FeatureQueryHandler.PATH, new FeatureQueryHandler(queries, clock));
    server.start();
  }

  private HttpResponse<String> get(final String pathAndQuery) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort()
        + pathAndQuery)).build(), BodyHandlers.ofString());
  }

  private static JsonNode feature(final JsonNode body, final String name) {
    for (final JsonNode f : body.get("features")) {
      if (f.get("name").asText().equals(name)) {
        return f;
      }
    }
    throw new AssertionError("no feature " + name + " in " + body);
  }

  @Test
  void shouldFlagAFeatureStaleWhenItsAgeIsPastItsSla() throws Exception {
    // Given one online and one POS event of card-1
    serve();
    h.pipe(txn("card-1", 2.0, T0, io.driftguard.avro.Channel.ONLINE, "m-1", "DE"));
    h.pipe(txn("card-1", 3.0, T0.plusSeconds(60)));

    // When read 5 minutes after the newest event
    clock.set(T0.plus(Duration.ofMinutes(6)));
    final JsonNode fresh = JSON.readTree(get("/features/card-1").body());

    // Then nothing is stale, and ages are measured from each feature's own as-of time
    assertThat(fresh.get("stale").asBoolean()).isFalse();
    assertThat(feature(fresh, "quick").get("value").asDouble()).isEqualTo(2.0);
    assertThat(feature(fresh, "quick").get("ageMs").asLong()).isEqualTo(Duration.ofMinutes(5).toMillis());
    assertThat(feature(fresh, "quick").get("slaMs").asLong()).isEqualTo(Duration.ofMinutes(10).toMillis());
    assertThat(feature(fresh, "quick").get("stale").asBoolean()).isFalse();
    assertThat(feature(fresh, "online").get("ageMs").asLong()).isEqualTo(Duration.ofMinutes(6).toMillis());

    // When read again 11 minutes after the newest event (the card's events stopped)
    clock.set(T0.plus(Duration.ofMinutes(12)));
    final HttpResponse<String> response = get("/features/card-1");
    final JsonNode stale = JSON.readTree(response.body());

    // Then the 10-minute feature is stale, the 1-hour ones are not, and the value is still the one computed
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(stale.get("stale").asBoolean()).isTrue();
    assertThat(feature(stale, "quick").get("stale").asBoolean()).isTrue();
    assertThat(feature(stale, "quick").get("ageMs").asLong()).isEqualTo(Duration.ofMinutes(11).toMillis());
    assertThat(feature(stale, "quick").get("value").asDouble()).isEqualTo(2.0);
    assertThat(feature(stale, "slow").get("stale").asBoolean()).isFalse();
    assertThat(feature(stale, "online").get("stale").asBoolean()).isFalse();
    assertThat(h.features.readValuesToList()).hasSize(2);
    assertThat(h.features.isEmpty()).isTrue();
  }

  @Test
  void shouldNeverFlagADefaultedValueWhenNoEventContributed() throws Exception {
    // Given a card with only POS events: its online count is the default, with no as-of time
    serve();
    h.pipe(txn("card-1", 3.0, T0));

    // When read a day later
    clock.set(T0.plus(Duration.ofDays(1)));
    final JsonNode body = JSON.readTree(get("/features/card-1").body());

    // Then the default carries no age and no stale flag; the counted features are stale
    assertThat(feature(body, "online").get("value").asDouble()).isEqualTo(0.0);
    assertThat(feature(body, "online").get("asOf").isNull()).isTrue();
    assertThat(feature(body, "online").get("ageMs").isNull()).isTrue();
    assertThat(feature(body, "online").get("stale").asBoolean()).isFalse();
    assertThat(feature(body, "quick").get("stale").asBoolean()).isTrue();
    assertThat(feature(body, "slow").get("stale").asBoolean()).isTrue();
  }

  @Test
  void shouldAnswerWithAClearStatusWhenTheRequestCannotBeServed() throws Exception {
    // Given
    serve();
    h.pipe(txn("card-1", 3.0, T0));

    // When
    final HttpResponse<String> unknown = get("/features/card-404");
    final HttpResponse<String> badAsOf = get("/features/card-1?asOf=yesterday");
    final HttpResponse<String> badParam = get("/features/card-1?at=2026-11-28T10:00:00Z");
    final HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + server.getAddress().getPort() + "/features/card-1")).POST(HttpRequest.BodyPublishers.noBody()).build(),
        BodyHandlers.ofString());

    // Then
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("card-404");
    assertThat(badAsOf.statusCode()).isEqualTo(400);
    assertThat(badAsOf.body()).contains("asOf");
    assertThat(badParam.statusCode()).isEqualTo(400);
    assertThat(badParam.body()).contains("'at'");
    assertThat(post.statusCode()).isEqualTo(405);
  }
}
