package dev.hearth.platform.metrics;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The JVM's own figures, named as Prometheus's Java client names them ({@code jvm_memory_*_bytes{area}},
 * {@code jvm_threads_current}, {@code process_cpu_seconds_total}…) so that stock JVM dashboards work; they replace
 * the base scope of Payara's MP Metrics, which Hearth switches off. Thread-safe: reads platform MXBeans.
 */
@ApplicationScoped
public class JvmMetrics implements MetricsSource {

    @Override
    public void writeTo(PrometheusText text) {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        text.family("jvm_memory_used_bytes", PrometheusText.Type.GAUGE, "Used bytes of a JVM memory area")
                .sample("jvm_memory_used_bytes", heap.getUsed(), "area", "heap")
                .sample("jvm_memory_used_bytes", nonHeap.getUsed(), "area", "nonheap");
        text.family("jvm_memory_committed_bytes", PrometheusText.Type.GAUGE, "Committed bytes of a JVM memory area")
                .sample("jvm_memory_committed_bytes", heap.getCommitted(), "area", "heap")
                .sample("jvm_memory_committed_bytes", nonHeap.getCommitted(), "area", "nonheap");
        text.family("jvm_memory_max_bytes", PrometheusText.Type.GAUGE,
                        "Maximum bytes of a JVM memory area (-Xmx for the heap); -1 when undefined")
                .sample("jvm_memory_max_bytes", heap.getMax(), "area", "heap")
                .sample("jvm_memory_max_bytes", nonHeap.getMax(), "area", "nonheap");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        text.family("jvm_threads_current", PrometheusText.Type.GAUGE, "Live JVM threads")
                .sample("jvm_threads_current", threads.getThreadCount());
        text.family("jvm_gc_collection_seconds_total", PrometheusText.Type.COUNTER,
                "Time spent in garbage collections of a collector since the JVM started");
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            text.sample("jvm_gc_collection_seconds_total", gc.getCollectionTime() / 1e3, "gc", gc.getName());
        }
        text.family("jvm_gc_collections_total", PrometheusText.Type.COUNTER,
                "Garbage collections of a collector since the JVM started");
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            text.sample("jvm_gc_collections_total", gc.getCollectionCount(), "gc", gc.getName());
        }
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            text.family("process_cpu_seconds_total", PrometheusText.Type.COUNTER,
                            "CPU time of the server process since it started")
                    .sample("process_cpu_seconds_total", os.getProcessCpuTime() / 1e9);
        }
        text.family("process_start_time_seconds", PrometheusText.Type.GAUGE,
                        "When the server process started, in seconds since the Unix epoch")
                .sample("process_start_time_seconds", ManagementFactory.getRuntimeMXBean().getStartTime() / 1e3);
    }
}
