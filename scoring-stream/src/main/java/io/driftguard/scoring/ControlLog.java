package io.driftguard.scoring;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The global model-control log: every command record, raw, under {@code <model>\0<offset>} with its partition, so
 * each scoring task can apply the commands it has not applied yet, in order, however many arrived between two of
 * its events. A GlobalKTable would keep only the latest command per model and lose intermediate ones (PROMOTE then
 * SET_CANARY before a task's next event). Decoding happens in the task, which can dead-letter and audit.
 */
final class ControlLog {
  /** Entries kept per model; older ones are only needed by a task that was down across that many commands. */
  static final int KEEP_PER_MODEL = 1000;

  /** One logged command. */
  record Entry(String model, int partition, long offset, byte[] value) {
  }

  private ControlLog() {
  }

  static String key(final String model, final long offset) {
    return model + '\u0000' + String.format("%019d", offset);
  }

  static byte[] value(final int partition, final byte[] command) {
    final byte[] body = command == null ? new byte[0] : command;
    return ByteBuffer.allocate(4 + body.length).putInt(partition).put(body).array();
  }

  static Entry decode(final String key, final byte[] value) {
    final int sep = key.lastIndexOf('\u0000');
    final ByteBuffer buf = ByteBuffer.wrap(value);
    final int partition = buf.getInt();
    return new Entry(key.substring(0, sep), partition, Long.parseLong(key.substring(sep + 1)),
        Arrays.copyOfRange(value, 4, value.length));
  }

  /** Entries of {@code model} with an offset greater than {@code after}, oldest first. */
  static java.util.List<Entry> after(final org.apache.kafka.streams.state.ReadOnlyKeyValueStore<String, byte[]> store,
      final String model, final long after) {
    final java.util.List<Entry> out = new java.util.ArrayList<>();
    try (KeyValueIterator<String, byte[]> it = store.range(key(model, Math.max(0, after + 1)), model + '\u0001')) {
      while (it.hasNext()) {
        final var kv = it.next();
        out.add(decode(kv.key, kv.value));
      }
    }
    return out;
  }

  /** Global-store processor: appends each command record; re-run by Streams when the global store restores. */
  static final class Writer implements Processor<byte[], byte[], Void, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(Writer.class);
    private final String storeName;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, byte[]> store;

    Writer(final String storeName) {
      this.storeName = storeName;
    }

    @Override
    public void init(final ProcessorContext<Void, Void> context) {
      this.context = context;
      this.store = context.getStateStore(storeName);
    }

    @Override
    public void process(final Record<byte[], byte[]> record) {
      final RecordMetadata meta = context.recordMetadata().orElseThrow();
      if (record.key() == null) {
        // Without a model name no task would look it up; logged and counted where the key is known: nowhere.
        LOG.warn("model-control record without a key at {}-{}@{} ignored: commands must be keyed by model name",
            meta.topic(), meta.partition(), meta.offset());
        return;
      }
      final String model = new String(record.key(), java.nio.charset.StandardCharsets.UTF_8);
      store.put(key(model, meta.offset()), value(meta.partition(), record.value()));
      prune(model);
    }

    private void prune(final String model) {
      final java.util.List<String> keys = new java.util.ArrayList<>();
      try (KeyValueIterator<String, byte[]> it = store.range(key(model, 0), model + '\u0001')) {
        while (it.hasNext()) {
          keys.add(it.next().key);
        }
      }
      for (int i = 0; i < keys.size() - KEEP_PER_MODEL; i++) {
        store.delete(keys.get(i));
      }
    }
  }
}
