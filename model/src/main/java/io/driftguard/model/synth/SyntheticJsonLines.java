package io.driftguard.model.synth;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.avro.Channel;
import io.driftguard.avro.Label;
import io.driftguard.avro.Transaction;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * JSON lines for generated data: one object per line, {@code "type"} is {@code "transaction"} or {@code "label"},
 * the other keys are the Avro field names; times are epoch milliseconds, channel is its symbol name.
 * Field order is fixed, so the same records always give the same bytes.
 */
public final class SyntheticJsonLines {
    public static final String TYPE_TRANSACTION = "transaction";
    public static final String TYPE_LABEL = "label";

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SyntheticJsonLines() {
    }

    /** Writes the records in the given order (usually {@link SyntheticDataGenerator#timeline()}); returns the count. */
    public static long write(final Iterator<TimedRecord> records, final OutputStream out) throws IOException {
        long count = 0;
        try (JsonGenerator json = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            json.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            // Lines are separated by '\n' below; Jackson's default space between root values would lead each line.
            json.setRootValueSeparator(null);
            while (records.hasNext()) {
                final TimedRecord record = records.next();
                if (record.value() instanceof Transaction t) {
                    writeTransaction(json, t);
                } else {
                    writeLabel(json, (Label) record.value());
                }
                json.writeRaw('\n');
                count++;
            }
        }
        return count;
    }

    public static long write(final Stream<TimedRecord> records, final Path file) throws IOException {
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
             Stream<TimedRecord> closing = records) {
            return write(closing.iterator(), out);
        }
    }

    private static void writeTransaction(final JsonGenerator json, final Transaction t) throws IOException {
        json.writeStartObject();
        json.writeStringField("type", TYPE_TRANSACTION);
        json.writeStringField("eventId", t.getEventId());
        json.writeStringField("cardId", t.getCardId());
        json.writeNumberField("eventTime", t.getEventTime().toEpochMilli());
        json.writeNumberField("amount", t.getAmount());
        json.writeStringField("currency", t.getCurrency());
        json.writeStringField("merchantId", t.getMerchantId());
        json.writeStringField("merchantCategory", t.getMerchantCategory());
        json.writeStringField("country", t.getCountry());
        json.writeStringField("channel", t.getChannel().name());
        json.writeStringField("deviceId", t.getDeviceId());
        json.writeStringField("customerEmail", t.getCustomerEmail());
        json.writeEndObject();
    }

    private static void writeLabel(final JsonGenerator json, final Label l) throws IOException {
        json.writeStartObject();
        json.writeStringField("type", TYPE_LABEL);
        json.writeStringField("eventId", l.getEventId());
        json.writeStringField("entityId", l.getEntityId());
        json.writeNumberField("label", l.getLabel());
        json.writeNumberField("labelTime", l.getLabelTime().toEpochMilli());
        if (l.getEventTime() == null) {
            json.writeNullField("eventTime");
        } else {
            json.writeNumberField("eventTime", l.getEventTime().toEpochMilli());
        }
        json.writeStringField("source", l.getSource());
        json.writeEndObject();
    }

    /**
     * Reads a JSON-lines file lazily; close the stream to close the file. A malformed line fails with an
     * {@link IllegalArgumentException} naming the file, line number and key.
     */
    public static Stream<TimedRecord> read(final Path file) throws IOException {
        final BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        final Iterator<TimedRecord> it = new Iterator<>() {
            private String nextLine = readLine();
            private long lineNumber = 1;

            private String readLine() {
                try {
                    String line = reader.readLine();
                    while (line != null && line.isBlank()) {
                        lineNumber++;
                        line = reader.readLine();
                    }
                    return line;
                } catch (IOException e) {
                    throw new UncheckedIOException("reading " + file, e);
                }
            }

            @Override
            public boolean hasNext() {
                return nextLine != null;
            }

            @Override
            public TimedRecord next() {
                if (nextLine == null) {
                    throw new NoSuchElementException("end of " + file);
                }
                final TimedRecord parsed = parseLine(nextLine, file + ":" + lineNumber);
                lineNumber++;
                nextLine = readLine();
                return parsed;
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL),
                false).onClose(() -> {
                    try {
                        reader.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException("closing " + file, e);
                    }
                });
    }

    /** Parses one line; {@code where} names the line in error messages. */
    static TimedRecord parseLine(final String line, final String where) {
        final JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(where + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(where + ": expected a JSON object");
        }
        final String type = text(node, "type", where, true);
        if (TYPE_TRANSACTION.equals(type)) {
            final String channel = text(node, "channel", where, true);
            final Channel parsedChannel;
            try {
                parsedChannel = Channel.valueOf(channel);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": key 'channel' has unknown value '" + channel + "'", e);
            }
            return TimedRecord.of(Transaction.newBuilder()
                    .setEventId(text(node, "eventId", where, true))
                    .setCardId(text(node, "cardId", where, true))
                    .setEventTime(Instant.ofEpochMilli(number(node, "eventTime", where).longValue()))
                    .setAmount(number(node, "amount", where).doubleValue())
                    .setCurrency(text(node, "currency", where, true))
                    .setMerchantId(text(node, "merchantId", where, true))
                    .setMerchantCategory(text(node, "merchantCategory", where, true))
                    .setCountry(text(node, "country", where, true))
                    .setChannel(parsedChannel)
                    .setDeviceId(text(node, "deviceId", where, false))
                    .setCustomerEmail(text(node, "customerEmail", where, false))
                    .build());
        }
        if (TYPE_LABEL.equals(type)) {
            final int label = number(node, "label", where).intValue();
            if (label != 0 && label != 1) {
                throw new IllegalArgumentException(where + ": key 'label' must be 0 or 1, was " + label);
            }
            final JsonNode eventTime = node.get("eventTime");
            return TimedRecord.of(Label.newBuilder()
                    .setEventId(text(node, "eventId", where, true))
                    .setEntityId(text(node, "entityId", where, true))
                    .setLabel(label)
                    .setLabelTime(Instant.ofEpochMilli(number(node, "labelTime", where).longValue()))
                    .setEventTime(eventTime == null || eventTime.isNull()
                            ? null : Instant.ofEpochMilli(number(node, "eventTime", where).longValue()))
                    .setSource(text(node, "source", where, false))
                    .build());
        }
        throw new IllegalArgumentException(where + ": key 'type' must be '" + TYPE_TRANSACTION + "' or '"
                + TYPE_LABEL + "', was '" + type + "'");
    }

    private static String text(final JsonNode node, final String key, final String where, final boolean required) {
        final JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            if (required) {
                throw new IllegalArgumentException(where + ": missing required key '" + key + "'");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException(where + ": key '" + key + "' must be a string");
        }
        return value.asText();
    }

    private static Number number(final JsonNode node, final String key, final String where) {
        final JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException(where + ": missing required key '" + key + "'");
        }
        if (!value.isNumber()) {
            throw new IllegalArgumentException(where + ": key '" + key + "' must be a number");
        }
        return value.numberValue();
    }
}
