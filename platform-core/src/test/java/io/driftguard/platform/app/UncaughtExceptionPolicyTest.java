package io.driftguard.platform.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;

import io.driftguard.schemas.registry.SchemaRegistryException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

class UncaughtExceptionPolicyTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void shouldReplaceThreadWhenErrorIsTransient() {
        // Given
        final UncaughtExceptionPolicy policy = new UncaughtExceptionPolicy(3, Duration.ofMinutes(5), CLOCK);

        // When / Then
        assertThat(policy.handle(new StreamsException(new TimeoutException("broker slow")))).isEqualTo(REPLACE_THREAD);
        assertThat(policy.handle(new StreamsException("deserialization failed", new SerializationException("x",
            new SchemaRegistryException(503, 50003, "registry down"))))).isEqualTo(REPLACE_THREAD);
        assertThat(policy.handle(new StreamsException(new org.apache.kafka.common.errors.InvalidTxnStateException(
            "transaction timed out")))).isEqualTo(REPLACE_THREAD);
    }

    @Test
    void shouldShutDownClientWhenErrorIsFatal() {
        final UncaughtExceptionPolicy policy = new UncaughtExceptionPolicy(3, Duration.ofMinutes(5), CLOCK);
        assertThat(policy.handle(new StreamsException(new TopicAuthorizationException("no ACL")))).isEqualTo(SHUTDOWN_CLIENT);
        assertThat(policy.handle(new IllegalStateException("bug"))).isEqualTo(SHUTDOWN_CLIENT);
        assertThat(policy.handle(new StreamsException(new SchemaRegistryException(401, 401, "unauthorized"))))
            .isEqualTo(SHUTDOWN_CLIENT);
        assertThat(policy.handle(new StreamsException(new io.driftguard.schemas.serde.AvroSerdeException(
            io.driftguard.schemas.serde.AvroSerdeException.Problem.CONFIGURATION, "t", "no SpecificRecord class"))))
            .isEqualTo(SHUTDOWN_CLIENT);
    }

    @Test
    void shouldShutDownClientWhenTransientErrorsRepeatTooOften() {
        // Given
        final UncaughtExceptionPolicy policy = new UncaughtExceptionPolicy(2, Duration.ofMinutes(5), CLOCK);
        final StreamsException transientError = new StreamsException(new TimeoutException("slow"));

        // When
        policy.handle(transientError);
        policy.handle(transientError);

        // Then
        assertThat(policy.handle(transientError)).isEqualTo(SHUTDOWN_CLIENT);
    }
}
