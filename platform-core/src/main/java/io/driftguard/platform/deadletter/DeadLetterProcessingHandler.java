package io.driftguard.platform.deadletter;

import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the source record of a failed processor to the dead-letters topic (stage {@code process:<node>}, reason
 * {@link ReasonCode#PROCESSING_ERROR}) and continues. The write joins the task's transaction (KIP-1034).
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);

    private DeadLetters deadLetters;

    @Override
    public void configure(final Map<String, ?> configs) {
        deadLetters = DeadLetterDeserializationHandler.lookup(configs);
    }

    @Override
    public Response handleError(final ErrorHandlerContext context, final Record<?, ?> record,
                                final Exception exception) {
        LOG.warn("processor {} failed on {}-{}@{}", context.processorNodeId(), context.topic(), context.partition(),
            context.offset(), exception);
        try {
            // the exception's type and message, not the record: records may carry PII
            final String reason = DeserializationFailures.describe(ReasonCode.PROCESSING_ERROR, exception);
            return Response.resume(List.of(deadLetters.producerRecord("process:" + context.processorNodeId(),
                ReasonCode.PROCESSING_ERROR, reason, context.topic(), context.partition(), context.offset(),
                context.timestamp(), context.sourceRawKey(), context.sourceRawValue())));
        } catch (final RuntimeException e) {
            LOG.error("cannot write dead letter for a processing error at {}-{}@{}; failing the task",
                context.topic(), context.partition(), context.offset(), e);
            return Response.fail();
        }
    }
}
