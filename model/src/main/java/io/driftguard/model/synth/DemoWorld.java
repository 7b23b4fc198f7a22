package io.driftguard.model.synth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The static part of the demo domain: cards and merchants, drawn once from the seed. */
final class DemoWorld {
    static final String CASH = "cash";
    /** Categories with their log-amount offset vs the card's usual spend. */
    static final List<String> CATEGORIES = List.of("grocery", "restaurant", "fuel", "retail", "pharmacy",
            "entertainment", "utilities", "electronics", "travel", "gift_cards");
    static final double[] CATEGORY_LOG_OFFSET = {0.0, -0.2, 0.1, 0.3, -0.3, 0.0, 0.5, 1.0, 1.3, 0.5};
    static final double[] CATEGORY_WEIGHT = {30, 20, 12, 15, 6, 6, 4, 3, 2, 2};
    static final Set<String> HIGH_RISK_CATEGORIES = Set.of("electronics", "travel", "gift_cards");

    static final List<String> HOME_COUNTRIES = List.of("US", "GB", "DE", "FR");
    static final double[] HOME_WEIGHT = {50, 20, 15, 15};
    static final List<String> TRAVEL_COUNTRIES = List.of("ES", "IT", "CA", "MX", "JP");
    /** Countries the hidden fraud process favours; legitimate cards almost never pay there. */
    static final List<String> RISKY_COUNTRIES = List.of("BR", "ID", "NG", "PH", "TR");
    /** Used only by NEW_COUNTRIES after the onset: never generated before it. */
    static final List<String> NEW_COUNTRIES = List.of("KZ", "PE", "UY", "IS", "MN");

    static final Map<String, String> CURRENCY = Map.ofEntries(
            Map.entry("US", "USD"), Map.entry("GB", "GBP"), Map.entry("DE", "EUR"), Map.entry("FR", "EUR"),
            Map.entry("ES", "EUR"), Map.entry("IT", "EUR"), Map.entry("CA", "CAD"), Map.entry("MX", "MXN"),
            Map.entry("JP", "JPY"), Map.entry("BR", "BRL"), Map.entry("ID", "IDR"), Map.entry("NG", "NGN"),
            Map.entry("PH", "PHP"), Map.entry("TR", "TRY"), Map.entry("KZ", "KZT"), Map.entry("PE", "PEN"),
            Map.entry("UY", "UYU"), Map.entry("IS", "ISK"), Map.entry("MN", "MNT"));

    record Merchant(String id, String category, String country) {
    }

    record Card(int index, String id, String email, String homeCountry, double eventsPerDay, double logAmountMu,
                double logAmountSigma, double onlineShare, String[] devices, int[] favouriteMerchants) {
    }

    final List<Merchant> merchants;
    /** country -> indices of non-cash merchants. */
    final Map<String, int[]> shopsByCountry;
    /** country -> indices of cash (ATM) merchants. */
    final Map<String, int[]> cashByCountry;
    /** category -> indices of merchants of that category (any country). */
    final Map<String, int[]> merchantsByCategory;
    final List<Card> cards;

    DemoWorld(final SynthConfig config, final Rng rng) {
        merchants = buildMerchants(config.merchants(), rng);
        final Map<String, List<Integer>> shops = new LinkedHashMap<>();
        final Map<String, List<Integer>> cash = new LinkedHashMap<>();
        final Map<String, List<Integer>> byCategory = new LinkedHashMap<>();
        for (int i = 0; i < merchants.size(); i++) {
            final Merchant m = merchants.get(i);
            if (CASH.equals(m.category())) {
                cash.computeIfAbsent(m.country(), k -> new ArrayList<>()).add(i);
            } else {
                shops.computeIfAbsent(m.country(), k -> new ArrayList<>()).add(i);
                byCategory.computeIfAbsent(m.category(), k -> new ArrayList<>()).add(i);
            }
        }
        shopsByCountry = toArrays(shops);
        cashByCountry = toArrays(cash);
        merchantsByCategory = toArrays(byCategory);
        cards = buildCards(config, rng);
    }

    private static List<String> allCountries() {
        final List<String> all = new ArrayList<>(HOME_COUNTRIES);
        all.addAll(TRAVEL_COUNTRIES);
        all.addAll(RISKY_COUNTRIES);
        all.addAll(NEW_COUNTRIES);
        return all;
    }

    /** Every country gets one cash merchant and one shop per category first, so lookups never come back empty. */
    private static List<Merchant> buildMerchants(final int requested, final Rng rng) {
        final List<Merchant> out = new ArrayList<>();
        for (final String country : allCountries()) {
            out.add(new Merchant(merchantId(out.size()), CASH, country));
            for (final String category : CATEGORIES) {
                out.add(new Merchant(merchantId(out.size()), category, country));
            }
        }
        final double[] countryWeights = Rng.cumulative(60, 12, 9, 9, 2, 2, 2, 2, 2);
        final List<String> weightedCountries = new ArrayList<>(HOME_COUNTRIES);
        weightedCountries.addAll(TRAVEL_COUNTRIES);
        final double[] categoryCumulative = Rng.cumulative(CATEGORY_WEIGHT);
        while (out.size() < requested) {
            final String country = weightedCountries.get(rng.pickWeighted(countryWeights));
            final String category = rng.bernoulli(0.05) ? CASH : CATEGORIES.get(rng.pickWeighted(categoryCumulative));
            out.add(new Merchant(merchantId(out.size()), category, country));
        }
        return List.copyOf(out);
    }

    private static String merchantId(final int index) {
        return String.format("m-%05d", index);
    }

    private List<Card> buildCards(final SynthConfig config, final Rng rng) {
        final List<Card> out = new ArrayList<>(config.cards());
        final double[] homeCumulative = Rng.cumulative(HOME_WEIGHT);
        // Mean of exp(0.5 Z) is exp(0.125): divide it out so the mean rate matches the configured one.
        final double rateNorm = Math.exp(-0.125);
        for (int i = 0; i < config.cards(); i++) {
            final String home = HOME_COUNTRIES.get(rng.pickWeighted(homeCumulative));
            final double rate = config.eventsPerCardDay() * rateNorm * Math.exp(0.5 * rng.gaussian());
            final double mu = Math.log(30.0) + 0.5 * rng.gaussian();
            final double sigma = 0.5 + 0.3 * rng.uniform();
            final double online = 0.1 + 0.3 * rng.uniform();
            final String[] devices = new String[1 + rng.nextInt(2)];
            for (int d = 0; d < devices.length; d++) {
                devices[d] = String.format("dev-%016x", rng.nextLong());
            }
            final int[] local = shopsByCountry.get(home);
            final int[] favourites = new int[8];
            for (int f = 0; f < favourites.length; f++) {
                favourites[f] = local[rng.nextInt(local.length)];
            }
            out.add(new Card(i, String.format("card-%06d", i), "user" + i + "@example.com", home, rate, mu, sigma,
                    online, devices, favourites));
        }
        return List.copyOf(out);
    }

    private static Map<String, int[]> toArrays(final Map<String, List<Integer>> lists) {
        final Map<String, int[]> out = new LinkedHashMap<>();
        lists.forEach((k, v) -> out.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
        return Map.copyOf(out);
    }

    static int categoryIndex(final String category) {
        return CATEGORIES.indexOf(category);
    }
}
