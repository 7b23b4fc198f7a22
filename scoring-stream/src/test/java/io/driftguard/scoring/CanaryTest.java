package io.driftguard.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CanaryTest {
  @Test
  void shouldKeepEveryEntityInItsArmWhenThePercentageGrows() {
    // Given 10,000 entities in a 10% canary
    for (int i = 0; i < 10_000; i++) {
      final String entity = "card-" + i;
      // When the canary grows to 50%
      // Then nobody inside the 10% canary leaves it, and the bucket is stable
      if (Canary.inCanary("fraud", entity, 10)) {
        assertThat(Canary.inCanary("fraud", entity, 50)).isTrue();
      }
      assertThat(Canary.bucket("fraud", entity)).isEqualTo(Canary.bucket("fraud", entity));
    }
  }

  @Test
  void shouldSplitWithinTwoPercentWhenRoutingTenThousandEntities() {
    // Given 10,000 entities
    for (final double p : new double[] {1, 5, 20, 50, 90}) {
      // When routed at p%
      int in = 0;
      for (int i = 0; i < 10_000; i++) {
        if (Canary.inCanary("fraud", "card-" + i, p)) {
          in++;
        }
      }
      // Then the share is within 2 points of p
      assertThat(in / 100.0).as("share at %s%%", p).isBetween(p - 2, p + 2);
    }
    assertThat(Canary.inCanary("fraud", "card-1", 100)).isTrue();
  }
}
