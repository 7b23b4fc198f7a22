package io.driftguard.cli;

import io.driftguard.model.bundle.FeatureSpec;
import io.driftguard.model.bundle.Manifest;
import io.driftguard.model.profile.NumericProfile;
import io.driftguard.model.profile.ReferenceProfile;
import java.util.List;
import java.util.Optional;

/**
 * Input rows for re-measuring a bundle's scoring latency without its training data: values spread over each
 * feature's reference quantile bins (and every category), so the probe walks realistic tree paths. Latency does not
 * depend on labels, so this is enough for the {@code p99_latency_ms} gate on the machine that promotes.
 */
final class ProbeRows {

    private ProbeRows() {
    }

    static double[][] fromManifest(final Manifest manifest, final int count) {
        final List<FeatureSpec> features = manifest.features();
        final ReferenceProfile profile = manifest.referenceProfile();
        final double[][] rows = new double[count][features.size()];
        for (int f = 0; f < features.size(); f++) {
            final FeatureSpec spec = features.get(f);
            final Optional<NumericProfile> numeric = profile == null || spec.type() == FeatureSpec.Type.CATEGORICAL
                ? Optional.empty() : profile.numeric(spec.name());
            for (int i = 0; i < count; i++) {
                // a different stride per feature, so rows mix bins rather than all sitting in bin k together
                final int pick = i * (2 * f + 1) + f;
                rows[i][f] = spec.type() == FeatureSpec.Type.CATEGORICAL
                    ? pick % spec.categories().size()
                    : numeric.map(p -> binValue(p, pick)).orElse(spec.imputeValue() == null ? Double.NaN
                        : spec.imputeValue());
            }
        }
        return rows;
    }

    /** A value inside bin {@code pick mod bins}: the midpoint of inner bins, the min/max side for the outer ones. */
    private static double binValue(final NumericProfile p, final int pick) {
        final double[] edges = p.binEdges();
        if (edges == null || edges.length == 0) {
            return p.mean() == null ? Double.NaN : p.mean();
        }
        final int bin = pick % (edges.length + 1);
        if (bin == 0) {
            return p.min() != null && p.min() < edges[0] ? (p.min() + edges[0]) / 2 : edges[0];
        }
        if (bin == edges.length) {
            return p.max() != null && p.max() > edges[edges.length - 1]
                ? (p.max() + edges[edges.length - 1]) / 2 : edges[edges.length - 1];
        }
        return (edges[bin - 1] + edges[bin]) / 2;
    }
}
