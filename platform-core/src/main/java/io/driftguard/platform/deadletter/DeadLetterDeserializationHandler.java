package io.driftguard.platform.deadletter;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records that cannot be deserialized to the dead-letters topic and continues.
 *
 * <p>Uses KIP-1034 ({@link Response#resume(List)}): Streams writes the returned dead-letter record through the task's
 * own producer, so under exactly-once it commits or aborts together with the input offset. When the failure is not the
 * record's fault (registry down, serde misconfigured) or the dead letter cannot be serialized, the handler fails the
 * task: the record is retried or the app stops, never dead-lettered or dropped.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

    private DeadLetters deadLetters;

    @Override
    public void configure(final Map<String, ?> configs) {
        deadLetters = lookup(configs);
    }

    static DeadLetters lookup(final Map<String, ?> configs) {
        final Object instance = configs.get(DeadLetters.CONFIG_KEY);
        if (!(instance instanceof DeadLetters found)) {
            throw new ConfigException(DeadLetters.CONFIG_KEY, instance,
                "a DeadLetters instance is required by the dead-letter handlers; build properties with "
                    + "StreamsProperties.from(config, deadLetters)");
        }
        return found;
    }

    @Override
    public Response handleError(final ErrorHandlerContext context, final ConsumerRecord<byte[], byte[]> record,
                                final Exception exception) {
        if (DeserializationFailures.isTransient(exception)) {
            LOG.error("registry or serde configuration failure while deserializing {}-{}@{}; failing the task, the "
                    + "record is not dead-lettered",
                record.topic(), record.partition(), record.offset(), exception);
            return Response.fail();
        }
        final ReasonCode code = DeserializationFailures.classify(record.value(), exception);
        try {
            return Response.resume(List.of(deadLetters.producerRecord(DeadLetters.STAGE_DESERIALIZE, code,
                DeserializationFailures.describe(code, exception), record.topic(), record.partition(),
                record.offset(), record.timestamp(), record.key(), record.value())));
        } catch (final RuntimeException e) {
            LOG.error("cannot write dead letter for {}-{}@{}; failing the task so the record is not lost",
                record.topic(), record.partition(), record.offset(), e);
            return Response.fail();
        }
    }
}
