package io.driftguard.reliability.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.driftguard.avro.DeadLetter;
import io.driftguard.avro.FeatureVector;
import io.driftguard.avro.Prediction;
import io.driftguard.embedded.KafkaStackInfo;
import io.driftguard.embedded.junit.KafkaStackExtension;
import io.driftguard.reliability.support.AppConfigs;
import io.driftguard.reliability.support.AppProcess;
import io.driftguard.reliability.support.Audit;
import io.driftguard.reliability.support.DemoModel;
import io.driftguard.reliability.support.LoadGenerator;
import io.driftguard.reliability.support.Transactions;
import io.driftguard.schemas.registry.SchemaRegistryClient;
import io.driftguard.schemas.serde.AvroSerdes;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crash consistency (issue #9 item 1): feature-stream and two scoring-stream instances run as separate OS processes
 * against the embedded broker; under a steady offered load each one is SIGKILLed at seeded random points and
 * restarted. Afterwards a read_committed audit must find exactly one prediction per valid event id, one dead letter
 * per invalid one, and feature vectors equal to an offline {@code FeatureReplay} of the same events.
 *
 * <p>{@code -Dreliability.crash.seed=N} changes the kill points, {@code -Dreliability.crash.killsPerApp=N} the number
 * of kills. Child logs: {@code reliability/target/reliability-logs/crash/}.
 */
@ExtendWith(KafkaStackExtension.class)
class CrashConsistencyTest {
  private static final Logger LOG = LoggerFactory.getLogger(CrashConsistencyTest.class);
  private static final long SEED = Long.getLong("reliability.crash.seed", 20_261_128L);
  private static final int KILLS_PER_APP = Integer.getInteger("reliability.crash.killsPerApp", 2);
  private static final double RATE = 100.0;
  private static final int PARTITIONS = 4;
  private static final int INVALID_EVERY = 100;
  private static final Duration READY = Duration.ofMinutes(5);

  static KafkaStackInfo stack;

  @TempDir
  static Path dir;

  @Test
  void shouldWriteExactlyOnePredictionPerValidEventWhenEveryAppIsKilledUnderLoad() throws Exception {
    // Given a champion, and feature-stream plus two scoring-stream instances running as processes
    final Path registry = DemoModel.sharedChampion();
    final AppConfigs.Cluster cluster = new AppConfigs.Cluster(stack.bootstrapServers(), stack.schemaRegistryUrl(),
        "crash", PARTITIONS, Duration.ofMillis(500));
    stack.createTopics(PARTITIONS, cluster.topic("events"));
    final Path logs = Path.of("target", "reliability-logs", "crash").toAbsolutePath();
    final Path djlCache = Path.of("target", "djl-cache").toAbsolutePath();
    final AppProcess features = new AppProcess(new AppProcess.Spec("feature-stream", "features",
        AppConfigs.featureStream(dir, cluster, "features", dir.resolve("state-features")), logs, "256m"), djlCache);
    final List<AppProcess> scorers = new ArrayList<>();
    for (final String name : List.of("scoring-a", "scoring-b")) {
      scorers.add(new AppProcess(new AppProcess.Spec("scoring-stream", name, AppConfigs.scoringStream(dir, cluster,
          name, dir.resolve("state-" + name), registry, null), logs, "256m"), djlCache));
    }
    final List<AppProcess> apps = new ArrayList<>(List.of(features));
    apps.addAll(scorers);
    final SchemaRegistryClient schemas = stack.registryClient();
    final Transactions events = new Transactions(SEED, "crash-", 500,
        Instant.now().minus(Duration.ofHours(3)), Duration.ofMillis(200), INVALID_EVERY);
    final List<String> killLog = new ArrayList<>();
    final long offered;
    try (LoadGenerator load = new LoadGenerator(stack.bootstrapServers(), schemas, cluster.topic("events"), events,
        0, 1_000_000, RATE)) {
      try {
        features.start();
        features.awaitReady(READY);
        scorers.forEach(AppProcess::start);
        scorers.forEach(s -> s.awaitReady(READY));

        // When the load runs and each app is SIGKILLed at seeded random points, then restarted
        load.start();
        final List<AppProcess> schedule = new ArrayList<>();
        for (int k = 0; k < KILLS_PER_APP; k++) {
          schedule.addAll(apps);
        }
        final Random random = new Random(SEED);
        Collections.shuffle(schedule, random);
        final long t0 = System.nanoTime();
        for (final AppProcess victim : schedule) {
          // Restarts overlap with the next kills; an app is killed again only once it is back up and running.
          final Duration delay = Duration.ofMillis(1_000 + random.nextInt(5_000));
          await().pollDelay(delay).atMost(delay.plusSeconds(1)).until(() -> true);
          victim.awaitReady(READY);
          final long sentAtKill = load.sent();
          victim.kill();
          killLog.add("%s at %.1f s after %d events".formatted(victim.name(), (System.nanoTime() - t0) / 1e9,
              sentAtKill));
          victim.start();
        }
        offered = load.finish(Duration.ofMinutes(2));
        apps.forEach(a -> a.awaitReady(READY));

        // Then read_committed finds exactly one prediction per valid event id
        final Set<String> validIds = Audit.validIds(events, offered);
        final List<Prediction> predictions = Audit.readCommitted(stack.bootstrapServers(),
            cluster.topic("predictions"), AvroSerdes.specific(Prediction.class, schemas, false).deserializer(),
            validIds.size(), Duration.ofMinutes(4), Duration.ofSeconds(5));
        final Audit.PredictionCheck check = Audit.checkPredictions(predictions, validIds);
        final int kills = apps.stream().mapToInt(AppProcess::kills).sum();
        LOG.info("crash consistency: {} kills ({}); {} events offered, {} valid; {}", kills, killLog, offered,
            validIds.size(), check);
        System.out.printf("CRASH-CONSISTENCY kills=%d events=%d valid=%d predictions=%d missing=%d duplicated=%d "
            + "kills: %s%n", kills, offered, validIds.size(), check.predictions(), check.missing().size(),
            check.duplicated().size(), killLog);
        assertThat(kills).isEqualTo(3 * KILLS_PER_APP);
        assertThat(apps).allSatisfy(a -> assertThat(a.kills()).as(a.name()).isEqualTo(KILLS_PER_APP));
        assertThat(offered).as("events offered during the kills").isGreaterThan(1_000);
        assertThat(check.exactlyOnce()).as(check.toString()).isTrue();
        assertThat(predictions).allSatisfy(p -> assertThat(p.getModelVersion()).isIn("v1", "fallback-rule"));

        // and each app dead-lettered each invalid event exactly once
        final long invalid = offered - validIds.size();
        final List<DeadLetter> deadLetters = Audit.readCommitted(stack.bootstrapServers(),
            cluster.topic("dead-letters"), AvroSerdes.specific(DeadLetter.class, schemas, false).deserializer(),
            2 * invalid, Duration.ofMinutes(2), Duration.ofSeconds(2));
        for (final String app : List.of(AppConfigs.featureAppId(cluster), AppConfigs.scoringAppId(cluster))) {
          final List<String> sources = deadLetters.stream().filter(d -> d.getApp().equals(app))
              .map(d -> d.getPartition() + "@" + d.getOffset()).toList();
          assertThat(sources).as("dead letters of %s", app).hasSize((int) invalid).doesNotHaveDuplicates();
        }

        // and the feature vectors equal an offline replay of the same events
        final List<FeatureVector> vectors = Audit.readCommitted(stack.bootstrapServers(), cluster.topic("features"),
            AvroSerdes.specific(FeatureVector.class, schemas, false).deserializer(), validIds.size(),
            Duration.ofMinutes(2), Duration.ofSeconds(2));
        final List<String> differences = Audit.compareWithReplay(vectors, events, offered, PARTITIONS);
        assertThat(differences).as("live vectors vs offline replay (%d differences)", differences.size()).isEmpty();
        final Set<String> vectorIds = new HashSet<>();
        vectors.stream().map(FeatureVector::getEventId).forEach(vectorIds::add);
        assertThat(vectorIds).containsAll(validIds);
        assertThat(LongStream.range(0, offered).filter(i -> !events.isValid(i)).mapToObj(events::eventId))
            .noneMatch(vectorIds::contains);
      } finally {
        apps.forEach(AppProcess::close);
      }
    }
  }
}
