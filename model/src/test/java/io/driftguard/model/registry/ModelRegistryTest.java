package io.driftguard.model.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.model.TestData;
import io.driftguard.model.bundle.ArtifactBundle;
import io.driftguard.model.bundle.BundleVerificationException;
import io.driftguard.model.gates.GateResult;
import io.driftguard.model.gates.Gates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryTest {
  private static final Instant NOW = Instant.parse("2026-03-01T09:00:00Z");

  @TempDir
  static Path bundles;
  static ArtifactBundle v1;
  static ArtifactBundle v2;
  static ArtifactBundle v3;

  @TempDir
  Path root;
  ModelRegistry registry;

  private static final GateResult PASSED = Gates.evaluate(Gates.parseAll(List.of("auc min 0.5")),
      Map.of("auc", 0.8), null, null);
  private static final GateResult FAILED = Gates.evaluate(Gates.parseAll(List.of("auc min 0.9")),
      Map.of("auc", 0.8), null, null);

  @BeforeAll
  static void trainBundles() throws IOException {
    v1 = TestData.train(bundles.resolve("v1"), "v1").bundle();
    v2 = TestData.train(bundles.resolve("v2"), "v2").bundle();
    v3 = TestData.train(bundles.resolve("v3"), "v3").bundle();
  }

  @BeforeEach
  void newRegistry() {
    registry = new ModelRegistry(root, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private void registerAll() throws IOException {
    registry.register(v1, "alice", "first model");
    registry.register(v2, "alice", "retrained");
    registry.register(v3, "bob", "new features");
  }

  @Test
  void shouldRestorePreviousChampionWhenRollingBackAfterTwoPromotions() throws IOException {
    // Given v1 then v2 promoted
    registerAll();
    registry.promote("fraud", "v1", PASSED, "alice", "initial launch");
    registry.promote("fraud", "v2", PASSED, "alice", "better auc");
    assertThat(registry.aliases("fraud").champion()).isEqualTo("v2");
    assertThat(registry.aliases("fraud").previous()).isEqualTo("v1");

    // When rolling back
    final Aliases after = registry.rollback("fraud", "rollback-policy", "alert psi-amount");

    // Then v1 is champion again and the history shows both promotions and the rollback
    assertThat(after.champion()).isEqualTo("v1");
    assertThat(registry.aliases("fraud").champion()).isEqualTo("v1");
    assertThat(registry.aliases("fraud").previous()).isNull();
    final List<HistoryEntry> changes = registry.history("fraud").stream()
        .filter(e -> e.action() != HistoryEntry.Action.REGISTER).toList();
    assertThat(changes).extracting(HistoryEntry::action).containsExactly(
        HistoryEntry.Action.PROMOTE, HistoryEntry.Action.PROMOTE, HistoryEntry.Action.ROLLBACK);
    assertThat(changes).extracting(HistoryEntry::version).containsExactly("v1", "v2", "v1");
    assertThat(changes).extracting(HistoryEntry::fromVersion).containsExactly(null, "v1", "v2");
    assertThat(changes.get(2).who()).isEqualTo("rollback-policy");
    assertThat(changes.get(2).why()).isEqualTo("alert psi-amount");
    assertThat(changes.get(2).at()).isEqualTo(NOW);
    assertThat(changes.get(2).artifactSha256()).isEqualTo(v1.artifactSha256());
  }

  @Test
  void shouldWalkBackThroughKnownGoodVersionsWhenRollingBackRepeatedly() throws IOException {
    // Given v1, v2, v3 promoted in turn
    registerAll();
    registry.promote("fraud", "v1", PASSED, "alice", "a");
    registry.promote("fraud", "v2", PASSED, "alice", "b");
    registry.promote("fraud", "v3", PASSED, "alice", "c");

    // When rolling back twice, Then the champion walks back v3 -> v2 -> v1, and a third rollback is refused
    assertThat(registry.rollback("fraud", "sre", "x").champion()).isEqualTo("v2");
    assertThat(registry.rollback("fraud", "sre", "y").champion()).isEqualTo("v1");
    assertThatThrownBy(() -> registry.rollback("fraud", "sre", "z"))
        .isInstanceOf(PromotionRefusedException.class)
        .hasMessageContaining("no previous known-good version")
        .hasMessageContaining("champion is v1");
  }

  @Test
  void shouldRefusePromotionWhenGatesFailed() throws IOException {
    registerAll();

    assertThatThrownBy(() -> registry.promote("fraud", "v1", FAILED, "alice", "yolo"))
        .isInstanceOf(PromotionRefusedException.class)
        .hasMessageContaining("gates did not pass")
        .hasMessageContaining("auc min 0.9");
    assertThat(registry.aliases("fraud").champion()).isNull();
    assertThat(registry.history("fraud")).extracting(HistoryEntry::action)
        .containsOnly(HistoryEntry.Action.REGISTER);
  }

  @Test
  void shouldRefusePromotionWhenVersionIsUnknown() throws IOException {
    registerAll();

    assertThatThrownBy(() -> registry.promote("fraud", "v9", PASSED, "alice", "typo"))
        .hasMessageContaining("no registered version 'v9'");
  }

  @Test
  void shouldListAndShowVerifiedCopiesWhenRegistered() throws IOException {
    // When registering three versions
    registerAll();

    // Then they are listed in registration order, and each copy carries the source's identity
    assertThat(registry.models()).containsExactly("fraud");
    assertThat(registry.versions("fraud")).containsExactly("v1", "v2", "v3");
    final ArtifactBundle shown = registry.show("fraud", "v2");
    assertThat(shown.artifactSha256()).isEqualTo(v2.artifactSha256());
    assertThat(shown.dir()).isEqualTo(root.resolve("fraud").resolve("versions").resolve("v2"));
    assertThatThrownBy(() -> registry.register(v2, "alice", "again"))
        .isInstanceOf(java.nio.file.FileAlreadyExistsException.class)
        .hasMessageContaining("already registered");
  }

  @Test
  void shouldRefuseToServeATamperedCopyWhenShown() throws IOException {
    // Given a registered version whose model file is modified in the registry
    registerAll();
    Files.writeString(root.resolve("fraud/versions/v1/model.json"), " ", StandardOpenOption.APPEND);

    // When showing or promoting it, Then the registry refuses
    assertThatThrownBy(() -> registry.show("fraud", "v1"))
        .isInstanceOf(BundleVerificationException.class).hasMessageContaining("model.json");
    assertThatThrownBy(() -> registry.promote("fraud", "v1", PASSED, "alice", "x"))
        .isInstanceOf(BundleVerificationException.class);
  }

  @Test
  void shouldKeepChallengerSeparateFromChampionWhenSet() throws IOException {
    // Given v1 champion and v2 challenger
    registerAll();
    registry.promote("fraud", "v1", PASSED, "alice", "a");
    registry.setChallenger("fraud", "v2", "alice", "shadow it");
    assertThat(registry.aliases("fraud")).isEqualTo(new Aliases("v1", "v2", List.of()));

    // When the challenger is promoted, Then it leaves the challenger slot
    final Aliases after = registry.promote("fraud", "v2", PASSED, "alice", "won shadow");
    assertThat(after).isEqualTo(new Aliases("v2", null, List.of("v1")));
    assertThat(Files.readString(root.resolve("fraud/aliases.json"))).contains("\"previous\" : \"v1\"");
  }

  @Test
  void shouldLeaveNoTemporaryFilesWhenWritingAtomically() throws IOException {
    registerAll();
    registry.promote("fraud", "v1", PASSED, "alice", "a");

    try (var files = Files.walk(root)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".tmp-"));
    }
    // a second registry instance on the same root sees the same state
    assertThat(new ModelRegistry(root, Clock.systemUTC()).aliases("fraud").champion()).isEqualTo("v1");
  }

  @Test
  void shouldRejectPathLikeVersionsAndAnonymousActionsWhenAsked() throws IOException {
    registerAll();

    assertThatThrownBy(() -> registry.show("fraud", "../../etc")).hasMessageContaining("not a valid registry version");
    assertThatThrownBy(() -> registry.show("../x", "v1")).hasMessageContaining("not a valid registry name");
    assertThatThrownBy(() -> registry.promote("fraud", "v1", PASSED, " ", "why")).hasMessageContaining("who");
    assertThatThrownBy(() -> registry.rollback("fraud", "sre", "")).hasMessageContaining("why");
    assertThat(registry.aliases("fraud").champion()).isNull();
  }
}
