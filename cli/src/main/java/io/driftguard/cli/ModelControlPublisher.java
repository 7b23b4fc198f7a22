package io.driftguard.cli;

import io.driftguard.avro.ModelAction;
import io.driftguard.avro.ModelCommand;
import io.driftguard.platform.app.SchemaRegistries;
import io.driftguard.platform.config.DriftguardConfig;
import io.driftguard.schemas.registry.SchemaRegistryClient;
import io.driftguard.schemas.serde.AvroSerdes;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes one {@link ModelCommand} to {@code model-control}, keyed by model name, and waits for the broker's ack. */
final class ModelControlPublisher {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private ModelControlPublisher() {
    }

    static ModelCommand command(final String model, final ModelAction action, final String version,
                                final String who, final String why, final Instant now) {
        return ModelCommand.newBuilder().setCommandId(UUID.randomUUID().toString()).setModelName(model)
            .setAction(action).setVersion(version).setCanaryPercent(null).setReason(why).setIssuedBy(who)
            .setIssuedAt(now).build();
    }

    static RecordMetadata publish(final DriftguardConfig config, final ModelCommand command)
        throws InterruptedException, TimeoutException {
        final Properties props = producerProperties(config);
        final String topic = config.topics().modelControl();
        try (SchemaRegistryClient registry = SchemaRegistries.client(config.schemaRegistry());
             KafkaProducer<String, ModelCommand> producer = new KafkaProducer<>(props, new StringSerializer(),
                 AvroSerdes.specific(ModelCommand.class, registry, false).serializer())) {
            return producer.send(new ProducerRecord<>(topic, null, command.getIssuedAt().toEpochMilli(),
                command.getModelName(), command)).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final ExecutionException e) {
            throw new IllegalStateException("cannot publish " + command.getAction() + " to topic '" + topic + "' at "
                + config.kafka().bootstrapServers() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (final Exception e) {
            if (e instanceof InterruptedException || e instanceof TimeoutException) {
                throw e;
            }
            throw new IllegalStateException("cannot publish " + command.getAction() + " to topic '" + topic
                + "' at " + config.kafka().bootstrapServers() + ": " + e.getMessage(), e);
        }
    }

    /** Idempotent, acks=all; bounded waits so an unreachable cluster ends in an error, not a hang. */
    static Properties producerProperties(final DriftguardConfig config) {
        final Properties props = config.kafka().clientProperties();
        props.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(TIMEOUT.toMillis()));
        props.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(TIMEOUT.toMillis()));
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, config.applicationId());
        return props;
    }
}
