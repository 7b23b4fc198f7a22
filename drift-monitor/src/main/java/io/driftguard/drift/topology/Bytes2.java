package io.driftguard.drift.topology;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serde;

/** Explicit byte layouts of the topology's own state and intermediate records (DataOutput, never Java serialization). */
final class Bytes2 {

    interface Writer<T> {
        void write(T value, DataOutputStream out) throws IOException;
    }

    interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private Bytes2() {
    }

    static <T> byte[] encode(final T value, final Writer<T> writer) {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(value, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static <T> T decode(final byte[] bytes, final Reader<T> reader, final String type) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            final T value = reader.read(in);
            if (in.available() != 0) {
                throw new IllegalArgumentException(type + ": " + in.available() + " trailing bytes");
            }
            return value;
        } catch (IOException e) {
            throw new IllegalArgumentException(type + ": truncated or corrupt (" + bytes.length + " bytes): "
                    + e.getMessage(), e);
        }
    }

    static void writeBlob(final DataOutputStream out, final byte[] blob) throws IOException {
        out.writeInt(blob.length);
        out.write(blob);
    }

    static byte[] readBlob(final DataInputStream in) throws IOException {
        final int length = in.readInt();
        if (length < 0 || length > 64 * 1024 * 1024) {
            throw new IOException("bad blob length " + length);
        }
        final byte[] blob = new byte[length];
        in.readFully(blob);
        return blob;
    }

    static void writeNullableUtf(final DataOutputStream out, final String text) throws IOException {
        out.writeBoolean(text != null);
        if (text != null) {
            out.writeUTF(text);
        }
    }

    static String readNullableUtf(final DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    static <T> Serde<T> serde(final Function<T, byte[]> encode, final Function<byte[], T> decode, final String type) {
        return io.driftguard.drift.stats.StateSerdes.of(encode, decode, type);
    }

    /**
     * A serde that remembers, per thread, the last value it encoded and hands that same object back when asked to
     * decode exactly those bytes (once). A Streams aggregate is read, mutated and written back on every record; this
     * saves decoding its sketches again when the store returns what was just written. It is sound because a value
     * is never mutated between being written and being read back: the memo is dropped when handed out.
     */
    static <T> Serde<T> memoizingSerde(final Function<T, byte[]> encode, final Function<byte[], T> decode,
            final String type) {
        final ThreadLocal<Object[]> last = new ThreadLocal<>();
        return io.driftguard.drift.stats.StateSerdes.of(value -> {
            final byte[] bytes = encode.apply(value);
            last.set(new Object[] {bytes, value});
            return bytes;
        }, bytes -> {
            final Object[] memo = last.get();
            if (memo != null && java.util.Arrays.equals((byte[]) memo[0], bytes)) {
                last.remove();
                @SuppressWarnings("unchecked") final T value = (T) memo[1];
                return value;
            }
            return decode.apply(bytes);
        }, type);
    }
}
