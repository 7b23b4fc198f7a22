package io.driftguard.drift.topology;

import io.driftguard.drift.stats.CategoricalReference;
import io.driftguard.drift.stats.DriftThresholds;
import io.driftguard.drift.stats.NumericReference;
import io.driftguard.drift.stats.ReferenceBins;
import io.driftguard.drift.stats.ReferenceDistribution;
import io.driftguard.drift.stats.Statistic;
import io.driftguard.drift.stats.Threshold;
import io.driftguard.drift.stats.ThresholdCalibration;
import io.driftguard.model.bundle.FeatureSpec;
import io.driftguard.model.bundle.Manifest;
import io.driftguard.model.profile.CategoricalProfile;
import io.driftguard.model.profile.NumericProfile;
import io.driftguard.model.profile.ReferenceProfile;
import io.driftguard.model.profile.ScoreProfile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The reference one model version is compared with, derived from its artifact manifest's reference profile.
 *
 * @param numeric numeric features with a usable profile (at least two bins, std > 0)
 * @param categorical categorical features, with the model's category codes ({@code UsedFeature.value} is the index)
 * @param nullRates reference null rate of every profiled feature (also those without a usable distribution)
 * @param score the calibrated score's reference (equal-width bins over [0, 1])
 * @param confidence {@code max(s, 1-s)}'s reference, folded from the score bins; empty when the score bin count is
 *     odd (the fold does not line up)
 * @param thresholds per feature (and for {@link #SCORE} / {@link #CONFIDENCE}): the defaults, or calibrated ones
 */
public record ModelReference(String modelName, String version, Map<String, NumericReference> numeric,
        Map<String, CategoricalFeature> categorical, Map<String, Double> nullRates, NumericReference score,
        Optional<NumericReference> confidence, Map<String, DriftThresholds> thresholds) {

    /** Subject names of the prediction statistics. */
    public static final String SCORE = "score";
    public static final String CONFIDENCE = "confidence";

    /** A categorical feature: its reference and the model's category list (index = encoded value). */
    public record CategoricalFeature(CategoricalReference reference, List<String> codes) {
        public CategoricalFeature {
            if (reference == null || codes == null) {
                throw new IllegalArgumentException("reference and codes: must not be null");
            }
            codes = List.copyOf(codes);
        }

        /** The category of an encoded value, or null for a missing or out-of-range code. */
        public String category(final Double value) {
            if (value == null || value.isNaN() || value < 0 || value >= codes.size() || value != Math.rint(value)) {
                return null;
            }
            return codes.get(value.intValue());
        }
    }

    /** How thresholds are chosen. */
    public enum ThresholdMode { DEFAULT, CALIBRATED }

    /**
     * Calibration settings for {@link ThresholdMode#CALIBRATED}: PSI and JS thresholds per feature are the
     * {@code quantile} of the statistic over {@code bootstrapWindows} windows of {@code windowSize} values drawn from
     * the reference bins (which is all PSI and JS see of a window).
     */
    public record Calibration(ThresholdMode mode, int windowSize, int bootstrapWindows, double quantile) {
        public Calibration {
            if (mode == null) {
                throw new IllegalArgumentException("mode: must not be null");
            }
        }

        public static Calibration defaults() {
            return new Calibration(ThresholdMode.DEFAULT, 1000, 200, 0.99);
        }
    }

    public ModelReference {
        numeric = Map.copyOf(numeric);
        categorical = Map.copyOf(categorical);
        nullRates = Map.copyOf(nullRates);
        thresholds = Map.copyOf(thresholds);
        if (score == null || confidence == null) {
            throw new IllegalArgumentException("score and confidence: must not be null");
        }
    }

    /** The thresholds of one subject (feature name, {@link #SCORE} or {@link #CONFIDENCE}). */
    public DriftThresholds thresholdsFor(final String subject, final DriftThresholds fallback) {
        return thresholds.getOrDefault(subject, fallback);
    }

    /** Builds the reference of a manifest. Features the profile has no usable distribution for are noted in logs. */
    public static ModelReference fromManifest(final Manifest manifest, final DriftThresholds base,
            final Calibration calibration) {
        final ReferenceProfile profile = manifest.referenceProfile();
        final Map<String, NumericReference> numeric = new LinkedHashMap<>();
        final Map<String, CategoricalFeature> categorical = new LinkedHashMap<>();
        final Map<String, Double> nullRates = new HashMap<>();
        final Map<String, DriftThresholds> thresholds = new HashMap<>();
        for (final NumericProfile p : profile.numeric()) {
            nullRates.put(p.name(), p.nullRate());
            numericReference(p).ifPresent(ref -> {
                numeric.put(p.name(), ref);
                thresholds.put(p.name(), calibrated(ref, p.quantiles(), base, calibration, p.name()));
            });
        }
        final Map<String, FeatureSpec> specs = new HashMap<>();
        manifest.features().forEach(f -> specs.put(f.name(), f));
        for (final CategoricalProfile p : profile.categorical()) {
            nullRates.put(p.name(), p.nullRate());
            final FeatureSpec spec = specs.get(p.name());
            if (spec == null || spec.type() != FeatureSpec.Type.CATEGORICAL || p.frequencies().isEmpty()) {
                continue; // slice columns are profiled too but are no model input
            }
            categorical.put(p.name(), new CategoricalFeature(categoricalReference(p), spec.categories()));
        }
        final NumericReference score = scoreReference(profile.scores());
        final Optional<NumericReference> confidence = confidenceReference(profile.scores());
        thresholds.put(SCORE, calibrated(score, profile.scores().quantiles(), base, calibration, SCORE));
        // the confidence reference is folded from the score bins and has no quantiles of its own
        confidence.ifPresent(c -> thresholds.put(CONFIDENCE, calibrated(c, null, base, calibration, CONFIDENCE)));
        return new ModelReference(manifest.name(), manifest.version(), numeric, categorical, nullRates, score,
                confidence, thresholds);
    }

    static Optional<NumericReference> numericReference(final NumericProfile p) {
        if (p.proportions().length < 2 || p.std() == null || !(p.std() > 0.0)) {
            return Optional.empty();
        }
        final ReferenceBins bins = new ReferenceBins(p.binEdges(), p.proportions());
        final long present = Math.max(1, Math.round(p.count() * (1.0 - p.nullRate())));
        return Optional.of(new NumericReference(bins, distribution(bins, p.quantiles(), present), p.std(),
                p.nullRate()));
    }

    /**
     * The reference CDF for KS and Wasserstein: the profile's quantiles when it has them (KS and Wasserstein both on
     * the whole distribution, tails included: the CDF is linear between the 101 quantiles, from the profile's minimum
     * to its maximum, rank error 1/(m-1)); otherwise the bins alone (manifests written before quantiles were
     * profiled: KS over the edges, Wasserstein between the first and last edge, linear in between, since the shape of
     * the two open tail bins is unknown).
     */
    static ReferenceDistribution distribution(final ReferenceBins bins, final double[] quantiles,
            final long sampleCount) {
        if (hasQuantiles(quantiles)) {
            return ReferenceDistribution.ofSortedQuantiles(quantiles, sampleCount);
        }
        return ReferenceDistribution.ofBins(bins, sampleCount);
    }

    private static boolean hasQuantiles(final double[] quantiles) {
        return quantiles != null && quantiles.length >= 2 && quantiles[quantiles.length - 1] > quantiles[0];
    }

    static CategoricalReference categoricalReference(final CategoricalProfile p) {
        final Map<String, Long> counts = new HashMap<>();
        // Shares to pseudo-counts: fromCounts keeps the top-N and folds the rest into "other".
        p.frequencies().forEach((k, v) -> counts.put(k, Math.max(0L, Math.round(v * 1_000_000_000d))));
        final long present = counts.values().stream().mapToLong(Long::longValue).sum();
        final long nulls = p.nullRate() >= 1.0 ? 0 : Math.round(present * p.nullRate() / (1.0 - p.nullRate()));
        return CategoricalReference.fromCounts(counts, nulls, CategoricalReference.MAX_CATEGORIES);
    }

    /** Equal-width score bins; std of the piecewise-uniform distribution they describe. */
    static NumericReference scoreReference(final ScoreProfile p) {
        final int b = p.bins();
        final double[] edges = new double[b - 1];
        for (int i = 1; i < b; i++) {
            edges[i - 1] = (double) i / b;
        }
        final NumericReference binned = uniformBinsReference(edges, p.proportions(), 0.0, 1.0, p.count());
        // Newer profiles carry the scores' quantiles and std: the exact std, and KS/Wasserstein on the whole CDF.
        final double std = p.std() != null && p.std() > 0.0 ? p.std() : binned.std();
        return new NumericReference(binned.bins(),
                distribution(binned.bins(), p.quantiles(), Math.max(1, p.count())), std, 0.0);
    }

    /**
     * Confidence {@code max(s, 1-s)} folds score bin {@code b/2+k} and {@code b/2-1-k} onto confidence bin k of width
     * 1/b over [0.5, 1]; with an odd bin count the fold does not line up and no confidence reference is made.
     */
    static Optional<NumericReference> confidenceReference(final ScoreProfile p) {
        final int b = p.bins();
        if (b % 2 != 0 || b < 4) {
            return Optional.empty();
        }
        final int half = b / 2;
        final double[] proportions = new double[half];
        final double[] scores = p.proportions();
        for (int k = 0; k < half; k++) {
            proportions[k] = scores[half + k] + scores[half - 1 - k];
        }
        final double[] edges = new double[half - 1];
        for (int k = 1; k < half; k++) {
            edges[k - 1] = 0.5 + (double) k / b;
        }
        return Optional.of(uniformBinsReference(edges, proportions, 0.5, 1.0, p.count()));
    }

    private static NumericReference uniformBinsReference(final double[] edges, final double[] proportions,
            final double lo, final double hi, final long count) {
        final double sum = Arrays.stream(proportions).sum();
        final double[] normalised = Arrays.stream(proportions).map(v -> v / sum).toArray();
        final ReferenceBins bins = new ReferenceBins(edges, normalised);
        double mean = 0.0;
        double second = 0.0;
        for (int i = 0; i < normalised.length; i++) {
            final double a = i == 0 ? lo : edges[i - 1];
            final double z = i == edges.length ? hi : edges[i];
            final double mid = (a + z) / 2;
            mean += normalised[i] * mid;
            second += normalised[i] * (mid * mid + (z - a) * (z - a) / 12.0);
        }
        final double std = Math.sqrt(Math.max(second - mean * mean, 1e-12));
        return new NumericReference(bins, ReferenceDistribution.ofBins(bins, Math.max(1, count)), std, 0.0);
    }

    /**
     * PSI and JS thresholds from bootstrap windows of a sample with the reference's bin shares (all they see of a
     * window); Wasserstein's from bootstrap windows of a sample drawn from the reference quantile function (the whole
     * distribution, tails included, which is what W1 integrates), when the profile has quantiles.
     */
    private static DriftThresholds calibrated(final NumericReference reference, final double[] quantiles,
            final DriftThresholds base, final Calibration calibration, final String subject) {
        if (calibration.mode() == ThresholdMode.DEFAULT) {
            return base;
        }
        final double[] sample = binSample(reference.bins(), 10_000);
        final long seed = subject.hashCode();
        DriftThresholds out = base;
        for (final Statistic statistic : List.of(Statistic.PSI, Statistic.JS_DISTANCE)) {
            final double t = ThresholdCalibration.calibrateNumeric(reference, sample, statistic,
                    calibration.windowSize(), calibration.bootstrapWindows(),
                    ThresholdCalibration.Rule.quantile(calibration.quantile()), seed).threshold();
            out = out.with(statistic, Threshold.above(t));
        }
        if (hasQuantiles(quantiles)) {
            final double t = ThresholdCalibration.calibrateNumeric(reference, quantileSample(quantiles, 10_000),
                    Statistic.WASSERSTEIN, calibration.windowSize(), calibration.bootstrapWindows(),
                    ThresholdCalibration.Rule.quantile(calibration.quantile()), seed).threshold();
            out = out.with(Statistic.WASSERSTEIN, Threshold.above(t));
        }
        return out;
    }

    /**
     * A sample of the distribution the quantiles describe (the CDF linear between them): the quantile function at the
     * mid-ranks (i + 0.5) / size, i.e. a stratified draw with every rank band equally represented.
     */
    static double[] quantileSample(final double[] quantiles, final int size) {
        final int segments = quantiles.length - 1;
        final double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            final double position = (i + 0.5) / size * segments;
            final int lower = Math.min((int) Math.floor(position), segments - 1);
            out[i] = quantiles[lower] + (position - lower) * (quantiles[lower + 1] - quantiles[lower]);
        }
        return out;
    }

    /** A sample whose bin shares equal the reference's: one representative value per bin (its lower edge). */
    static double[] binSample(final ReferenceBins bins, final int size) {
        final double[] edges = bins.edges();
        final double[] proportions = bins.proportions();
        final List<Double> values = new ArrayList<>(size);
        for (int i = 0; i < proportions.length; i++) {
            final double representative = i == 0 ? edges[0] - 1.0 : edges[i - 1];
            final long copies = Math.round(proportions[i] * size);
            for (long c = 0; c < copies; c++) {
                values.add(representative);
            }
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
