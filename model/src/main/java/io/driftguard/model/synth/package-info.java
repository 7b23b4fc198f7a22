/**
 * Deterministic synthetic card payments for the demo domain ({@link io.driftguard.avro.Transaction} events and
 * delayed {@link io.driftguard.avro.Label}s) with a hidden fraud process and injectable drift.
 *
 * <pre>{@code
 * SynthConfig config = SynthConfig.builder().seed(42).cards(1000)
 *         .start(Instant.parse("2026-01-01T00:00:00Z")).duration(Duration.ofDays(7)).eventsPerCardDay(6)
 *         .scenario(Scenario.AMOUNT_SHIFT, Instant.parse("2026-01-05T00:00:00Z")).build();
 * SyntheticDataGenerator generator = SyntheticDataGenerator.create(config);
 * generator.records()   // payments in event-time order, each with its label if it arrives, plus ground truth
 * generator.timeline()  // what a producer publishes: payments at eventTime, labels at labelTime, in time order
 * generator.drift()     // the onset instant and what changed
 * SyntheticJsonLines.write(generator.timeline(), Path.of("data.jsonl"));
 * SyntheticAvroFiles.write(generator.timeline(), Path.of("transactions.avro"), Path.of("labels.avro"));
 * }</pre>
 *
 * <p>Same config, same output bytes. Every event carries a fake customer email ({@code user<n>@example.com}),
 * which is PII by contract: tests can search for it downstream, and it must never be logged.
 */
package io.driftguard.model.synth;
