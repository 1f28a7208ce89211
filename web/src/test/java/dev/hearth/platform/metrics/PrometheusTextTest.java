package dev.hearth.platform.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    @Test
    void familiesHaveHelpAndTypeAndLabelValuesAreEscaped() {
        PrometheusText text = new PrometheusText()
                .family("hearth_x_total", PrometheusText.Type.COUNTER, "Things\\counted\nhere")
                .sample("hearth_x_total", 3, "topic", "a\"b\\c\nd", "partition", "0")
                .family("hearth_y", PrometheusText.Type.GAUGE, "A level")
                .sample("hearth_y", 0.25);
        assertEquals("""
                # HELP hearth_x_total Things\\\\counted\\nhere
                # TYPE hearth_x_total counter
                hearth_x_total{topic="a\\"b\\\\c\\nd",partition="0"} 3
                # HELP hearth_y A level
                # TYPE hearth_y gauge
                hearth_y 0.25
                """, text.toString(), "HELP escapes backslash and newline; label values also the quote");
    }

    @Test
    void aHistogramHasCumulativeBucketsEndingInInfThenSumAndCount() {
        PrometheusText text = new PrometheusText()
                .family("hearth_z_seconds", PrometheusText.Type.HISTOGRAM, "Durations")
                .histogram("hearth_z_seconds", new double[] {0.0005, 1, 10}, new long[] {1, 3, 3, 4}, 12.5, "api", "Fetch");
        assertEquals("""
                # HELP hearth_z_seconds Durations
                # TYPE hearth_z_seconds histogram
                hearth_z_seconds_bucket{api="Fetch",le="0.0005"} 1
                hearth_z_seconds_bucket{api="Fetch",le="1"} 3
                hearth_z_seconds_bucket{api="Fetch",le="10"} 3
                hearth_z_seconds_bucket{api="Fetch",le="+Inf"} 4
                hearth_z_seconds_sum{api="Fetch"} 12.5
                hearth_z_seconds_count{api="Fetch"} 4
                """, text.toString(), "le is the last label, written without exponent; _count equals the +Inf bucket");
    }

    @Test
    void valuesAreWrittenAsPrometheusReadsThem() {
        assertEquals("42", PrometheusText.format(42), "integers without a fraction");
        assertEquals("NaN", PrometheusText.format(Double.NaN), "NaN");
        assertEquals("+Inf", PrometheusText.format(Double.POSITIVE_INFINITY), "+Inf");
        assertEquals("-1", PrometheusText.format(-1), "negative integers (an undefined maximum)");
        assertEquals("1.5E-7", PrometheusText.format(1.5e-7), "tiny values with an exponent, which parsers accept");
        assertEquals("1796575499.421", PrometheusText.format(1796575499.421), "epoch seconds without an exponent");
        assertEquals("3.27", PrometheusText.format(3.27), "fractions as written");
    }

    @Test
    void aRequestHistogramCountsEachObservationInOneBucketInSeconds() {
        Histogram histogram = new Histogram();
        histogram.observe(500_000L);          // 0.5 ms: the 1 ms bucket
        histogram.observe(2_000_000_000L);    // 2 s: the 2.5 s bucket
        histogram.observe(60_000_000_000L);   // 60 s: beyond every bound
        PrometheusText text = new PrometheusText();
        histogram.writeTo(text, "h_seconds");
        String out = text.toString();
        assertTrue(out.contains("h_seconds_bucket{le=\"0.001\"} 1\n"), out);
        assertTrue(out.contains("h_seconds_bucket{le=\"2.5\"} 2\n"), out);
        assertTrue(out.contains("h_seconds_bucket{le=\"30\"} 2\n"), out);
        assertTrue(out.contains("h_seconds_bucket{le=\"+Inf\"} 3\n"), out);
        java.util.regex.Matcher sum = java.util.regex.Pattern.compile("h_seconds_sum (\\S+)\n").matcher(out);
        assertTrue(sum.find() && Math.abs(Double.parseDouble(sum.group(1)) - 62.0005) < 1e-9,
                "the sum is in seconds: " + out);
        assertTrue(out.contains("h_seconds_count 3\n"), out);
    }
}
