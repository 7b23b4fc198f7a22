package io.driftguard.benchmarks.load;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Kafka Streams copying the input to the output under exactly_once_v2, one stream thread (like the baseline's one
 * loop), Streams defaults otherwise (commit.interval.ms is 100 under EOS). The cost over the baseline is the price of
 * transactions and of the Streams runtime.
 */
final class StreamsPassthroughStage implements LoadStage {
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private KafkaStreams streams;

  @Override
  public String name() {
    return "streams-eos";
  }

  static Topology topology(final String in, final String out, final Properties props) {
    final StreamsBuilder builder = new StreamsBuilder();
    builder.stream(in, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("bench-source"))
        .to(out, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("bench-sink"));
    return builder.build(props);
  }

  @Override
  public void start(final StageContext context) {
    final Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-streams-eos-" + context.runId());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, context.bootstrapServers());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    props.put(StreamsConfig.STATE_DIR_CONFIG, context.stateDir().toString());
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    streams = new KafkaStreams(topology(context.inputTopic(), outputTopic(context), props), props);
    streams.setUncaughtExceptionHandler(e -> {
      failure.set(e);
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    streams.start();
  }

  @Override
  public void checkHealthy() {
    if (failure.get() != null) {
      throw new IllegalStateException("streams passthrough failed: " + failure.get().getMessage(), failure.get());
    }
    if (streams != null && streams.state() == KafkaStreams.State.ERROR) {
      throw new IllegalStateException("streams passthrough is in state ERROR");
    }
  }

  @Override
  public void stop() {
    if (streams != null) {
      streams.close(Duration.ofSeconds(30));
    }
    if (failure.get() != null) {
      throw new IllegalStateException("streams passthrough failed: " + failure.get().getMessage(), failure.get());
    }
  }
}
