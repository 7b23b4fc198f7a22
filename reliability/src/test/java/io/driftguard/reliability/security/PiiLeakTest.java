package io.driftguard.reliability.security;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import io.driftguard.avro.DeadLetter;
import io.driftguard.avro.Label;
import io.driftguard.avro.Transaction;
import io.driftguard.embedded.KafkaStackInfo;
import io.driftguard.embedded.junit.KafkaStackExtension;
import io.driftguard.model.synth.Scenario;
import io.driftguard.model.synth.SynthConfig;
import io.driftguard.model.synth.SyntheticDataGenerator;
import io.driftguard.model.synth.TimedRecord;
import io.driftguard.platform.app.StreamsApp;
import io.driftguard.reliability.poison.Pipeline;
import io.driftguard.reliability.poison.Wire;
import io.driftguard.schemas.serde.AvroSerdes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * PII never leaves through logs, metrics or outputs: the three apps process the synthetic generator's payments (each
 * with a customer email) and labels, plus invalid ones that dead-letter; every log event of the JVM (driftguard at
 * DEBUG), every app's {@code /metrics} page and every record on features, predictions, predictions-shadow and
 * alerts is scanned for the emails, as are the text fields of every dead letter. A dead letter's
 * {@code originalValue} keeps the producer's bytes for replay, email included, by design: the check below shows
 * the scan does see the emails where they are meant to be.
 */
@ExtendWith(KafkaStackExtension.class)
class PiiLeakTest {
  private static final String PREFIX = "pii-";
  private static final String DOMAIN = "@example.com";

  static KafkaStackInfo stack;
  @TempDir
  Path dir;

  private static String text(final ILoggingEvent e) {
    final StringBuilder b = new StringBuilder(e.getFormattedMessage());
    for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
      b.append('\n').append(t.getClassName()).append(": ").append(t.getMessage());
      for (final StackTraceElementProxy s : t.getStackTraceElementProxyArray()) {
        b.append('\n').append(s.getSTEAsString());
      }
    }
    e.getMDCPropertyMap().forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
    return b.toString();
  }

  @Test
  void shouldKeepEveryEmailOutOfLogsMetricsAndOutputsWhenThePipelineProcessesGeneratedPayments() throws Exception {
    // Given every log event captured, driftguard's own at DEBUG
    final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    final Logger driftguard = (Logger) LoggerFactory.getLogger("io.driftguard");
    final Level before = driftguard.getLevel();
    final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.setContext(root.getLoggerContext());
    captured.start();
    root.addAppender(captured);
    driftguard.setLevel(Level.DEBUG);
    final Set<String> emails = new HashSet<>();
    int sent = 0;
    int invalid = 0;
    try (Pipeline pipeline = Pipeline.start(stack, dir, PREFIX, Map.of(), true);
        Wire wire = Wire.plain(stack)) {
      // When the generator's payments and labels of the last two hours flow through the apps
      final Instant start = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
      final SynthConfig config = new SynthConfig(21, 40, start, Duration.ofHours(1), 60, 50, Scenario.NONE, null,
          0, 0, 0, 1, Duration.ofMinutes(10), 0.5, 0.1);
      final List<TimedRecord> timeline = SyntheticDataGenerator.create(config).timeline().toList();
      for (final TimedRecord r : timeline) {
        if (r.value() instanceof Transaction t) {
          emails.add(t.getCustomerEmail());
          // one in 25 made invalid (negative amount): dead letters carry the email in their original bytes
          final Transaction out = sent % 25 == 24 ? Transaction.newBuilder(t).setAmount(-1).build() : t;
          invalid += out.getAmount() < 0 ? 1 : 0;
          wire.send(pipeline.topics().events(), r.key(), wire.transaction(pipeline.topics().events(), out),
              r.timestamp().toEpochMilli());
          sent++;
        } else if (r.value() instanceof Label l && !r.timestamp().isAfter(Instant.now())) {
          wire.send(pipeline.topics().labels(), r.key(), wire.label(pipeline.topics().labels(), l),
              r.timestamp().toEpochMilli());
        }
      }
      assertThat(emails).hasSizeGreaterThan(10).allMatch(e -> e != null && e.endsWith(DOMAIN));
      final int valid = sent - invalid;
      final int deadLettered = 2 * invalid;

      // Then every valid payment is scored, every invalid one dead-lettered by both apps reading events
      final String bootstrap = stack.bootstrapServers();
      final Duration bound = Duration.ofMinutes(3);
      final Map<String, List<ConsumerRecord<byte[], byte[]>>> outputs = new LinkedHashMap<>();
      outputs.put("predictions", Pipeline.readUntil(bootstrap, pipeline.topics().predictions(),
          got -> got.size() >= valid, bound, Map.of()));
      outputs.put("features", Pipeline.readUntil(bootstrap, pipeline.topics().features(),
          got -> got.size() >= valid, bound, Map.of()));
      final List<ConsumerRecord<byte[], byte[]>> dlRecords = Pipeline.readUntil(bootstrap,
          pipeline.topics().deadLetters(), got -> got.size() >= deadLettered, bound, Map.of());
      outputs.put("predictions-shadow", Pipeline.readUntil(bootstrap, pipeline.topics().predictionsShadow(),
          got -> true, bound, Map.of()));
      outputs.put("alerts", Pipeline.readUntil(bootstrap, pipeline.topics().alerts(), got -> true, bound,
          Map.of()));
      assertThat(outputs.get("predictions")).hasSize(valid);
      assertThat(outputs.get("features")).hasSize(valid);
      assertThat(dlRecords).hasSize(deadLettered);

      // and no output record, key or value, holds an email (bytes read as text: Avro strings are UTF-8)
      outputs.forEach((topic, records) -> assertThat(records).as("records on %s", topic).allSatisfy(r -> {
        assertThat(r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8)).doesNotContain(DOMAIN);
        assertThat(new String(r.value(), StandardCharsets.UTF_8)).doesNotContain(DOMAIN);
      }));

      // and no dead letter's text does, while its original bytes keep the producer's record for replay
      final Deserializer<DeadLetter> dls = AvroSerdes.specific(DeadLetter.class, wire.registry(), false)
          .deserializer();
      for (final ConsumerRecord<byte[], byte[]> r : dlRecords) {
        final DeadLetter d = dls.deserialize("x", r.value());
        assertThat(List.of(d.getApp(), d.getStage(), d.getReasonCode(), d.getReason(), d.getTopic()))
            .allSatisfy(field -> assertThat(field).doesNotContain(DOMAIN));
        assertThat(new String(d.getOriginalValue().array(), StandardCharsets.UTF_8)).contains(DOMAIN);
      }

      // and no app's /metrics page does
      final HttpClient http = HttpClient.newHttpClient();
      final List<StreamsApp> apps = List.of(pipeline.features(), pipeline.scoring().streamsApp(), pipeline.drift());
      for (final StreamsApp app : apps) {
        final String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + app.server().port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("# TYPE").doesNotContain(DOMAIN);
      }
    } finally {
      root.detachAppender(captured);
      driftguard.setLevel(before);
      captured.stop();
    }

    // and no log event of the whole run does
    final List<String> logs = new ArrayList<>();
    captured.list.forEach(e -> logs.add(text(e)));
    assertThat(logs).hasSizeGreaterThan(100);
    assertThat(logs).filteredOn(l -> l.contains(DOMAIN)).as("log events with an email").isEmpty();
    org.slf4j.LoggerFactory.getLogger(PiiLeakTest.class).info(
        "PII scan: {} payments ({} invalid), {} distinct emails, {} log events scanned", sent, invalid,
        emails.size(), logs.size());
  }
}
