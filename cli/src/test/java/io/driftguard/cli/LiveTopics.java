package io.driftguard.cli;

import static org.awaitility.Awaitility.await;

import io.driftguard.avro.Transaction;
import io.driftguard.embedded.KafkaStackInfo;
import io.driftguard.model.synth.SynthConfig;
import io.driftguard.model.synth.SyntheticDataGenerator;
import io.driftguard.model.synth.SyntheticRecord;
import io.driftguard.schemas.serde.AvroSerdes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Feeds and reads the topics of a running app in the CLI's end-to-end tests. */
final class LiveTopics {

    private LiveTopics() {
    }

    /** Publishes {@code count} generated transactions from the last hour, keyed by card; returns their event ids. */
    static Set<String> publishTransactions(final KafkaStackInfo stack, final String topic, final int count) {
        final SynthConfig synth = SynthConfig.builder().cards(10).start(Instant.now().minus(Duration.ofHours(1)))
            .duration(Duration.ofMinutes(50)).eventsPerSecond(0.05).build();
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        final Set<String> ids = new HashSet<>();
        try (KafkaProducer<String, Transaction> producer = new KafkaProducer<>(props, new StringSerializer(),
            AvroSerdes.specific(Transaction.class, stack.registryClient(), false).serializer())) {
            SyntheticDataGenerator.create(synth).records().limit(count).map(SyntheticRecord::transaction)
                .forEach(t -> {
                    ids.add(t.getEventId());
                    producer.send(new ProducerRecord<>(topic, null, t.getEventTime().toEpochMilli(), t.getCardId(),
                        t));
                });
        }
        return ids;
    }

    /**
     * Reads committed records until at least {@code expected} arrived, then polls once more so that a duplicate
     * beyond the expected count shows up too.
     */
    static <T extends SpecificRecord> List<T> readCommitted(final KafkaStackInfo stack, final String topic,
                                                            final Class<T> type, final int expected,
                                                            final Duration timeout) {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + topic);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        final List<T> records = new ArrayList<>();
        try (KafkaConsumer<String, T> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
            AvroSerdes.specific(type, stack.registryClient(), false).deserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(timeout).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> records.add(r.value()));
                return records.size() >= expected;
            });
            consumer.poll(Duration.ofMillis(500)).forEach(r -> records.add(r.value()));
        }
        return records;
    }
}
