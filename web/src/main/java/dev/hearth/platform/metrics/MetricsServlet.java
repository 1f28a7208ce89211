package dev.hearth.platform.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /metrics}: Hearth's metrics in the Prometheus text format, with the right {@code TYPE} for each
 * family (counters, gauges, histograms) and every name in base units. Hearth serves this itself instead of
 * MicroProfile Metrics: Payara's MP Metrics 5.1 exporter can type a value only by the kind of object that
 * recorded it, so counters read from the adapter became gauges, a histogram recorded by the Kafka listener became
 * three gauge families, and its timers printed quantiles in nanoseconds next to a sum in seconds. Payara's own
 * {@code /metrics} is switched off at boot ({@code bin/payara-preboot.txt}), so this servlet answers at the root
 * context. Open to anyone, as {@code /health}; the query string (e.g. {@code ?scope=base}) is ignored.
 *
 * <p>Thread-safe: each request writes its own text; the sources are thread-safe.
 */
@WebServlet(urlPatterns = "/metrics", name = "metrics")
public class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    transient BrokerMetrics broker;
    @Inject
    transient ServiceMetrics service;
    @Inject
    transient HttpRequestMetrics http;
    @Inject
    transient JobMetrics jobs;
    @Inject
    transient JvmMetrics jvm;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        PrometheusText text = new PrometheusText();
        for (MetricsSource source : new MetricsSource[] {broker, service, http, jobs, jvm}) {
            source.writeTo(text);
        }
        byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
        response.setContentType(PrometheusText.CONTENT_TYPE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
