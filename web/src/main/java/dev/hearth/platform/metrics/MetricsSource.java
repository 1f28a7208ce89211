package dev.hearth.platform.metrics;

/**
 * A part of {@code /metrics}: writes its families, headers included, each time the endpoint is scraped, so every
 * family is present from the first scrape on. Implementations are thread-safe: scrapes may run concurrently.
 */
interface MetricsSource {

    void writeTo(PrometheusText text);
}
