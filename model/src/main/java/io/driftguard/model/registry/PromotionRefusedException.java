package io.driftguard.model.registry;

/** A promotion or rollback that the registry refused, with the reason (e.g. the failed gate report). */
public final class PromotionRefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PromotionRefusedException(final String message) {
    super(message);
  }
}
