package io.driftguard.benchmarks.load;

import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Kafka Streams copying the input to the output under exactly_once_v2, one stream thread (like the baseline's one
 * loop), Streams defaults otherwise (commit.interval.ms is 100 under EOS). The cost over the baseline is the price of
 * transactions and of the Streams runtime.
 */
final class StreamsPassthroughStage extends StreamsStage {

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
  Topology topology(final StageContext context, final Properties props) {
    return topology(context.inputTopic(), outputTopic(context), props);
  }
}
