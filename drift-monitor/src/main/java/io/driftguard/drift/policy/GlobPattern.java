package io.driftguard.drift.policy;

import java.util.regex.Pattern;

/** A glob over a whole string: {@code *} is any run of characters, {@code ?} one character; the rest is literal. */
record GlobPattern(String glob, Pattern regex) {

    static GlobPattern of(final String glob) {
        final StringBuilder sb = new StringBuilder();
        final StringBuilder literal = new StringBuilder();
        for (final char c : glob.toCharArray()) {
            if (c == '*' || c == '?') {
                if (literal.length() > 0) {
                    sb.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                sb.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) {
            sb.append(Pattern.quote(literal.toString()));
        }
        return new GlobPattern(glob, Pattern.compile(sb.toString(), Pattern.DOTALL));
    }

    boolean matches(final String value) {
        return value != null && regex.matcher(value).matches();
    }

    @Override
    public String toString() {
        return glob;
    }
}
