package io.driftguard.model.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A model's aliases ({@code aliases.json}). {@code previous} is the last known-good champion, the top of
 * {@code knownGood}; older entries let repeated rollbacks walk further back.
 *
 * @param champion the version serving traffic, or null
 * @param challenger the version under evaluation (shadow/canary), or null
 * @param knownGood earlier champions, oldest first
 */
@JsonPropertyOrder({"champion", "challenger", "previous", "knownGood"})
@JsonIgnoreProperties(value = {"previous"}, allowGetters = true)
public record Aliases(String champion, String challenger, List<String> knownGood) {

  public Aliases {
    knownGood = knownGood == null ? List.of() : List.copyOf(knownGood);
  }

  static Aliases empty() {
    return new Aliases(null, null, List.of());
  }

  /** The last known-good version a rollback returns to, or null. */
  @JsonProperty("previous")
  public String previous() {
    return knownGood.isEmpty() ? null : knownGood.get(knownGood.size() - 1);
  }

  Aliases promote(final String version) {
    final List<String> stack = new ArrayList<>(knownGood);
    if (champion != null) {
      stack.add(champion);
    }
    return new Aliases(version, version.equals(challenger) ? null : challenger, stack);
  }

  Aliases rollback() {
    final List<String> stack = new ArrayList<>(knownGood);
    final String back = stack.remove(stack.size() - 1);
    return new Aliases(back, challenger, stack);
  }

  Aliases withChallenger(final String version) {
    return new Aliases(champion, version, knownGood);
  }
}
