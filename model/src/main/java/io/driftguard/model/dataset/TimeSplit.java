package io.driftguard.model.dataset;

import io.driftguard.model.Dataset;
import io.driftguard.model.train.TrainingConfig;
import java.time.Instant;
import java.util.Arrays;

/**
 * The split by event time, never at random: train {@code t < validationFrom}, validation
 * {@code validationFrom <= t < testFrom}, test {@code t >= testFrom}. Rows with equal times always share a split.
 *
 * @param validationFrom first event time (epoch ms) of the validation split
 * @param testFrom first event time (epoch ms) of the test split
 */
public record TimeSplit(long validationFrom, long testFrom) {
  public TimeSplit {
    if (validationFrom > testFrom) {
      throw new IllegalArgumentException("validationFrom " + Instant.ofEpochMilli(validationFrom)
          + " must not be after testFrom " + Instant.ofEpochMilli(testFrom));
    }
  }

  /**
   * The cut points the {@code Trainer} uses for {@code spec}: the declared instants, or the event times at the
   * {@code 1 - validationFraction - testFraction} and {@code 1 - testFraction} quantiles of the time-sorted rows.
   */
  public static TimeSplit of(final Dataset dataset, final TrainingConfig.SplitSpec spec) {
    if (spec.validationFrom() != null) {
      return new TimeSplit(Instant.parse(spec.validationFrom()).toEpochMilli(),
          Instant.parse(spec.testFrom()).toEpochMilli());
    }
    if (dataset.size() == 0) {
      throw new IllegalArgumentException("cannot split an empty training set");
    }
    final long[] sorted = dataset.eventTimes().clone();
    Arrays.sort(sorted);
    final int n = sorted.length;
    final long v = sorted[Math.min(n - 1, (int) Math.floor(n * (1.0 - spec.validationFraction()
        - spec.testFraction())))];
    final long t = sorted[Math.min(n - 1, (int) Math.floor(n * (1.0 - spec.testFraction())))];
    return new TimeSplit(v, t);
  }

  public Dataset train(final Dataset dataset) {
    return dataset.between(Long.MIN_VALUE, validationFrom);
  }

  public Dataset validation(final Dataset dataset) {
    return dataset.between(validationFrom, testFrom);
  }

  public Dataset test(final Dataset dataset) {
    return dataset.between(testFrom, Long.MAX_VALUE);
  }
}
