package io.driftguard.benchmarks.load;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/**
 * A stage that runs one Kafka Streams client: exactly_once_v2, one stream thread (like the baseline's one loop), its
 * own application id and state directory per run, reading the input from the earliest offset. Subclasses give the
 * topology and may change the properties; start, health and stop are the same for all of them.
 */
abstract class StreamsStage implements LoadStage {
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private KafkaStreams streams;

  /** The topology for this run, built with {@code props} (so optimizations apply). */
  abstract Topology topology(StageContext context, Properties props);

  /** Hook to change the common properties; the default keeps them. */
  void configure(final Properties props) {
  }

  /** Releases what {@link #topology} opened besides the Streams client (a registry client, ...). */
  void closeResources() {
  }

  @Override
  public final void start(final StageContext context) {
    final Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-" + name() + "-" + context.runId());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, context.bootstrapServers());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    props.put(StreamsConfig.STATE_DIR_CONFIG, context.stateDir().toString());
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    configure(props);
    streams = new KafkaStreams(topology(context, props), props);
    streams.setUncaughtExceptionHandler(e -> {
      failure.set(e);
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    streams.start();
  }

  @Override
  public final void checkHealthy() {
    final Throwable failed = failure.get();
    if (failed != null) {
      throw new IllegalStateException("stage '" + name() + "' failed: " + failed.getMessage(), failed);
    }
    if (streams != null && streams.state() == KafkaStreams.State.ERROR) {
      throw new IllegalStateException("stage '" + name() + "' is in state ERROR");
    }
  }

  @Override
  public final void stop() {
    try {
      if (streams != null) {
        streams.close(Duration.ofSeconds(30));
      }
    } finally {
      closeResources();
    }
    checkHealthy();
  }
}
