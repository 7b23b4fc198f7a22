package io.driftguard.platform.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.driftguard.embedded.junit.KafkaStackExtension;
import io.driftguard.embedded.KafkaStackInfo;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaStackExtension.class)
class BrokerProbeTest {

    static KafkaStackInfo stack;

    @Test
    void shouldReportReachableWhenTheBrokerAnswers() {
        // Given
        final Properties props = new Properties();
        props.put("bootstrap.servers", stack.bootstrapServers());

        // When
        try (BrokerProbe probe = BrokerProbe.start(props, Duration.ofMillis(200), Duration.ofSeconds(3), "probe-up")) {

            // Then
            await().atMost(Duration.ofSeconds(30)).until(probe::reachable);
        }
    }

    @Test
    void shouldReportUnreachableWhenNothingListens() throws Exception {
        // Given: a port that was free a moment ago and has no broker
        final int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        final Properties props = new Properties();
        props.put("bootstrap.servers", "127.0.0.1:" + port);

        // When
        try (BrokerProbe probe = BrokerProbe.start(props, Duration.ofMillis(200), Duration.ofSeconds(1),
            "probe-down")) {

            // Then: several probes have timed out and none answered
            await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> true);
            assertThat(probe.reachable()).isFalse();
        }
    }
}
