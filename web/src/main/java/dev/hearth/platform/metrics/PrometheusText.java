package dev.hearth.platform.metrics;

/**
 * Writes the Prometheus text exposition format 0.0.4: per family one {@code # HELP} and one {@code # TYPE} line,
 * then its samples. Names carry their base unit and counters end in {@code _total}, as Prometheus's naming
 * conventions ask; a histogram is written as {@code _bucket} (cumulative, {@code le} last and ending in
 * {@code +Inf}), {@code _sum} and {@code _count}. Label values are escaped ({@code \\}, {@code "}, newline).
 *
 * <p>Callers write a family's header before its samples and never interleave two families; a family with no
 * samples is a header alone, which parsers accept. Not thread-safe: one instance per scrape.
 */
final class PrometheusText {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** Prometheus's metric types as written on a {@code # TYPE} line. */
    enum Type { COUNTER, GAUGE, HISTOGRAM }

    private final StringBuilder out = new StringBuilder(16 * 1024);

    /** Starts a family: {@code name} is the sample name (a counter's ends in {@code _total}). */
    PrometheusText family(String name, Type type, String help) {
        out.append("# HELP ").append(name).append(' ');
        for (int i = 0; i < help.length(); i++) {
            char c = help.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        out.append('\n').append("# TYPE ").append(name).append(' ').append(type.name().toLowerCase(java.util.Locale.ROOT))
                .append('\n');
        return this;
    }

    /** One sample; {@code labels} alternate name and value. */
    PrometheusText sample(String name, double value, String... labels) {
        out.append(name);
        labels(labels, null, null);
        out.append(' ').append(format(value)).append('\n');
        return this;
    }

    /**
     * A histogram's samples for one label set.
     *
     * @param upperBounds      finite bucket bounds, ascending, in the family's unit
     * @param cumulativeCounts observations at or below each bound, then the total ({@code +Inf}); one longer than
     *                         {@code upperBounds}
     * @param sum              sum of the observations, in the family's unit
     */
    PrometheusText histogram(String name, double[] upperBounds, long[] cumulativeCounts, double sum, String... labels) {
        for (int i = 0; i < cumulativeCounts.length; i++) {
            out.append(name).append("_bucket");
            labels(labels, "le", i < upperBounds.length ? bound(upperBounds[i]) : "+Inf");
            out.append(' ').append(cumulativeCounts[i]).append('\n');
        }
        sample(name + "_sum", sum, labels);
        out.append(name).append("_count");
        labels(labels, null, null);
        out.append(' ').append(cumulativeCounts[cumulativeCounts.length - 1]).append('\n');
        return this;
    }

    private void labels(String[] labels, String extraName, String extraValue) {
        if (labels.length == 0 && extraName == null) {
            return;
        }
        out.append('{');
        for (int i = 0; i + 1 < labels.length; i += 2) {
            label(labels[i], labels[i + 1], i > 0);
        }
        if (extraName != null) {
            label(extraName, extraValue, labels.length > 0);
        }
        out.append('}');
    }

    private void label(String name, String value, boolean comma) {
        if (comma) {
            out.append(',');
        }
        out.append(name).append("=\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        out.append('"');
    }

    /**
     * Integers without a fraction ({@code 42}), {@code NaN}, {@code +Inf}, {@code -Inf}, other values from 0.001 on
     * without an exponent, tiny ones in Java's shortest form ({@code 1.5E-7}, which Prometheus parses too).
     */
    static String format(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        if (Math.abs(value) >= 1e-3 && Math.abs(value) < 1e15) {
            return java.math.BigDecimal.valueOf(value).toPlainString(); // 1796575499.421, not 1.796575499421E9
        }
        return Double.toString(value);
    }

    /** A bucket bound as people write it, so that {@code le="0.0005"} can be selected: no exponent, no trailing zeros. */
    static String bound(double upperBound) {
        return java.math.BigDecimal.valueOf(upperBound).stripTrailingZeros().toPlainString();
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
