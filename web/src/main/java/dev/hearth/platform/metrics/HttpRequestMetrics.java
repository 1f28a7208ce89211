package dev.hearth.platform.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * REST request durations as the histogram {@code hearth_http_request_duration_seconds}, labelled {@code resource}
 * (class and method, e.g. {@code RecordsResource.produce}; {@code unmatched} for requests no resource method took,
 * such as a 404 for an unknown path or a 405) and {@code code} (the HTTP status, e.g. {@code 201}, {@code 404}),
 * so failed requests are counted as such: {@code sum by (code) (rate(..._count[5m]))}. Label sets are bounded by
 * the resource methods times the statuses they answer.
 *
 * <p>Thread-safe: series are created in a concurrent map and observed lock-free.
 */
@ApplicationScoped
public class HttpRequestMetrics implements MetricsSource {

    static final String NAME = "hearth_http_request_duration_seconds";
    static final String UNMATCHED = "unmatched";

    /** By resource, then status code; sorted so that scrapes list series in a stable order. */
    private final Map<String, Histogram> series = new ConcurrentSkipListMap<>();
    private final Map<String, String[]> labels = new ConcurrentHashMap<>();

    void observe(String resource, int status, long elapsedNanos) {
        String key = resource + '\u0000' + status;
        Histogram histogram = series.get(key);
        if (histogram == null) {
            labels.putIfAbsent(key, new String[] {"resource", resource, "code", Integer.toString(status)});
            histogram = series.computeIfAbsent(key, k -> new Histogram());
        }
        histogram.observe(elapsedNanos);
    }

    @Override
    public void writeTo(PrometheusText text) {
        text.family(NAME, PrometheusText.Type.HISTOGRAM,
                "Duration of REST requests from the request filter to the response filter, per resource method and "
                        + "HTTP status code");
        series.forEach((key, histogram) -> histogram.writeTo(text, NAME, labels.get(key)));
    }
}
