package io.driftguard.features;

import io.driftguard.avro.FeatureVector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.utils.Utils;

/**
 * Offline replay: runs the same {@code FeatureEngine} the {@link FeatureTopology} runs over events in arrival order and
 * returns one {@link FeatureVector} per valid event, plus every rejected event with its {@link Verdict}.
 *
 * <p>The vectors are point-in-time correct by construction: the vector of an event stamped t reflects only events of
 * the same entity with timestamp &lt;= t that came before it in the input (and the event itself). Feed events in the
 * order the topology would see them (topic order); for a topic with several partitions pass
 * {@link Builder#partitions(int)} so that LATE decisions use per-partition stream time exactly as the topology does
 * (entities are placed with Kafka's default partitioner on the UTF-8 entity id).
 *
 * <pre>{@code
 * FeatureSet set = FeatureSet.loadResource(FeatureSet.TRANSACTIONS_RESOURCE, Transaction.getClassSchema());
 * FeatureReplay.Result result = FeatureReplay.builder(set).clock(Clock.systemUTC()).partitions(4).build().run(events);
 * result.vectors();   // one per accepted event, in input order
 * result.rejects();   // index in the input, ids and reason
 * }</pre>
 *
 * <p>An instance is stateless between runs and may be reused; a single run is single-threaded.
 */
public final class FeatureReplay {
  private final FeatureEngine engine;
  private final Clock clock;
  private final int partitions;

  private FeatureReplay(final FeatureSet set, final Clock clock, final int partitions) {
    this.engine = new FeatureEngine(set);
    this.clock = clock;
    this.partitions = partitions;
  }

  /** Starts a replay of {@code set}. */
  public static Builder builder(final FeatureSet set) {
    return new Builder(Objects.requireNonNull(set, "feature set"));
  }

  /** Options of a replay. */
  public static final class Builder {
    private final FeatureSet set;
    private Clock clock = Clock.systemUTC();
    private int partitions = 1;

    private Builder(final FeatureSet set) {
      this.set = set;
    }

    /**
     * Clock for the FUTURE_TIMESTAMP check and the vectors' {@code computedAt}; default the system UTC clock. Use the
     * same clock as the live run when comparing vectors.
     */
    public Builder clock(final Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Number of partitions of the events topic (default 1): stream time, and so LATE, is kept per partition. */
    public Builder partitions(final int partitions) {
      if (partitions < 1) {
        throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
      }
      this.partitions = partitions;
      return this;
    }

    public FeatureReplay build() {
      return new FeatureReplay(set, clock, partitions);
    }
  }

  /** A refused event: its 0-based position in the input, ids when readable, and why. */
  public record Reject(long index, String entityId, String eventId, Verdict verdict) {
    public Reject {
      Objects.requireNonNull(verdict, "verdict");
    }
  }

  /** Everything a replay produced: vectors in input order and rejects in input order. */
  public record Result(List<FeatureVector> vectors, List<Reject> rejects) {
    public Result {
      vectors = List.copyOf(vectors);
      rejects = List.copyOf(rejects);
    }
  }

  /** Receives replay output as it is produced, for inputs too large to collect. */
  public interface Listener {
    void onVector(long index, FeatureVector vector);

    void onReject(Reject reject);
  }

  /** Replays {@code events} in iteration order and collects the output. */
  public Result run(final Iterable<? extends GenericRecord> events) {
    return run(events.iterator());
  }

  /** Replays {@code events} in iteration order and collects the output. */
  public Result run(final Iterator<? extends GenericRecord> events) {
    final List<FeatureVector> vectors = new ArrayList<>();
    final List<Reject> rejects = new ArrayList<>();
    stream(events, new Listener() {
      @Override
      public void onVector(final long index, final FeatureVector vector) {
        vectors.add(vector);
      }

      @Override
      public void onReject(final Reject reject) {
        rejects.add(reject);
      }
    });
    return new Result(vectors, rejects);
  }

  /** Replays an Avro object container file of events, in file order. */
  public Result run(final Path avroFile) {
    try (DataFileReader<GenericRecord> reader =
        new DataFileReader<>(avroFile.toFile(), new GenericDatumReader<>())) {
      return run(reader.iterator());
    } catch (final IOException e) {
      throw new UncheckedIOException("cannot read events file " + avroFile, e);
    }
  }

  /** Replays {@code events} in iteration order, handing each output to {@code listener} as it is produced. */
  public void stream(final Iterator<? extends GenericRecord> events, final Listener listener) {
    final MapState state = new MapState(partitions);
    long index = 0;
    while (events.hasNext()) {
      final GenericRecord event = events.next();
      final FeatureEngine.Outcome outcome = engine.process(event, state, clock.millis());
      if (outcome instanceof FeatureEngine.Emitted emitted) {
        listener.onVector(index, emitted.vector());
      } else if (outcome instanceof FeatureEngine.Rejected rejected) {
        listener.onReject(new Reject(index, rejected.entityId(), rejected.eventId(), rejected.verdict()));
      }
      index++;
    }
  }

  /** In-memory state with Kafka's placement of entities on partitions. */
  private static final class MapState implements StateAccess {
    private final Map<String, EntityState> entities = new HashMap<>();
    private final long[] streamTimes;

    MapState(final int partitions) {
      this.streamTimes = new long[partitions];
      java.util.Arrays.fill(streamTimes, Long.MIN_VALUE);
    }

    private int partition(final String entityId) {
      return Utils.toPositive(Utils.murmur2(entityId.getBytes(StandardCharsets.UTF_8))) % streamTimes.length;
    }

    @Override
    public EntityState get(final String entityId) {
      return entities.get(entityId);
    }

    @Override
    public void put(final String entityId, final EntityState state) {
      entities.put(entityId, state);
    }

    @Override
    public long streamTime(final String entityId) {
      return streamTimes[partition(entityId)];
    }

    @Override
    public void advanceStreamTime(final String entityId, final long streamTime) {
      streamTimes[partition(entityId)] = streamTime;
    }
  }
}
