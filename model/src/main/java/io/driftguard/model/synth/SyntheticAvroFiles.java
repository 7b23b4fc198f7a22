package io.driftguard.model.synth;

import io.driftguard.avro.Label;
import io.driftguard.avro.Transaction;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Avro object container files for generated data: transactions and labels in two files, each in the order the
 * records arrive (timeline order: transactions by eventTime, labels by labelTime).
 */
public final class SyntheticAvroFiles {
    private SyntheticAvroFiles() {
    }

    /** Counts written to each file. */
    public record Written(long transactions, long labels) {
    }

    public static Written write(final Stream<TimedRecord> records, final Path transactionsFile, final Path labelsFile)
            throws IOException {
        try (Stream<TimedRecord> closing = records) {
            return write(closing.iterator(), transactionsFile, labelsFile);
        }
    }

    public static Written write(final Iterator<TimedRecord> records, final Path transactionsFile,
                                final Path labelsFile) throws IOException {
        long transactions = 0;
        long labels = 0;
        try (OutputStream txOut = new BufferedOutputStream(Files.newOutputStream(transactionsFile), 1 << 16);
             OutputStream labelOut = new BufferedOutputStream(Files.newOutputStream(labelsFile), 1 << 16);
             DataFileWriter<Transaction> txWriter = new DataFileWriter<>(
                     new SpecificDatumWriter<>(Transaction.class));
             DataFileWriter<Label> labelWriter = new DataFileWriter<>(new SpecificDatumWriter<>(Label.class))) {
            txWriter.create(Transaction.getClassSchema(), txOut, syncMarker(Transaction.getClassSchema()));
            labelWriter.create(Label.getClassSchema(), labelOut, syncMarker(Label.getClassSchema()));
            while (records.hasNext()) {
                final TimedRecord record = records.next();
                if (record.value() instanceof Transaction t) {
                    txWriter.append(t);
                    transactions++;
                } else {
                    labelWriter.append((Label) record.value());
                    labels++;
                }
            }
        }
        return new Written(transactions, labels);
    }

    /**
     * Avro draws a random sync marker per file by default, which would make equal data give different bytes;
     * a marker derived from the schema name keeps files reproducible and is as unlikely to occur in data.
     */
    private static byte[] syncMarker(final Schema schema) {
        try {
            final byte[] digest = MessageDigest.getInstance("MD5")
                    .digest(("driftguard-sync:" + schema.getFullName()).getBytes(StandardCharsets.UTF_8));
            return Arrays.copyOf(digest, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required by every Java platform", e);
        }
    }

    public static List<Transaction> readTransactions(final Path file) throws IOException {
        return read(file, Transaction.class);
    }

    public static List<Label> readLabels(final Path file) throws IOException {
        return read(file, Label.class);
    }

    private static <T> List<T> read(final Path file, final Class<T> type) throws IOException {
        final List<T> out = new ArrayList<>();
        try (DataFileReader<T> reader = new DataFileReader<>(file.toFile(), new SpecificDatumReader<>(type))) {
            while (reader.hasNext()) {
                out.add(reader.next());
            }
        } catch (org.apache.avro.AvroRuntimeException | org.apache.avro.InvalidAvroMagicException e) {
            throw new IllegalArgumentException("file " + file + " is not an Avro container of "
                    + type.getSimpleName() + ": " + e.getMessage(), e);
        }
        return out;
    }
}
