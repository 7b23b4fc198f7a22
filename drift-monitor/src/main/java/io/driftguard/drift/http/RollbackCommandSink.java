package io.driftguard.drift.http;

import io.driftguard.avro.Alert;
import io.driftguard.avro.ModelCommand;
import io.driftguard.platform.topics.TopicSpec;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a manual rollback: the ModelCommand to {@code model-control} (keyed by model name) and its audit Alert to
 * {@code alerts}, and waits for both acknowledgements, so a 202 means the command is durable.
 */
public final class RollbackCommandSink implements AutoCloseable {

    private final Producer<String, ModelCommand> commands;
    private final Producer<String, Alert> audits;
    private final TopicSpec<String, ModelCommand> modelControl;
    private final TopicSpec<String, Alert> alerts;

    public RollbackCommandSink(final Producer<String, ModelCommand> commands, final Producer<String, Alert> audits,
            final TopicSpec<String, ModelCommand> modelControl, final TopicSpec<String, Alert> alerts) {
        if (commands == null || audits == null || modelControl == null || alerts == null) {
            throw new IllegalArgumentException("producers and topics: must not be null");
        }
        this.commands = commands;
        this.audits = audits;
        this.modelControl = modelControl;
        this.alerts = alerts;
    }

    /** Sends both records and waits up to 30 s for the broker. */
    public void send(final ModelCommand command, final Alert audit) throws Exception {
        try {
            commands.send(new ProducerRecord<>(modelControl.name(), command.getModelName(), command))
                    .get(30, TimeUnit.SECONDS);
            audits.send(new ProducerRecord<>(alerts.name(), audit.getMonitor() + "/" + audit.getSubject(), audit))
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not write the rollback command for model "
                    + command.getModelName() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        commands.close();
        audits.close();
    }
}
