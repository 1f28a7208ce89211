package dev.hearth.job.control;

import java.util.HashMap;
import java.util.Map;

import dev.hearth.job.exec.TaskMetrics;

/**
 * Task counters kept in the metadata of a job's committed input offsets, so that {@code records_in},
 * {@code records_out} and {@code late_records} survive worker restarts, rebalances and server restarts, and count
 * exactly what the committed transactions did (an aborted transaction's work is counted again when it is redone,
 * once). The metadata of input partition {@code p} of topic {@code t} holds the counters of every task
 * {@code (stage, p)} whose stage reads {@code t}, as of the transaction that committed that offset:
 * <pre>
 *   hearth.metrics.v1 &lt;stage&gt;:&lt;recordsIn&gt;:&lt;recordsOut&gt;:&lt;lateRecords&gt;[;&lt;stage&gt;:...]
 * </pre>
 * (ASCII decimal). A task reads several partitions with index {@code p} (co-partitioned inputs); each commit
 * writes the task's current counters into the partitions it consumed, and counters never decrease, so the latest
 * counters of a task are, counter by counter, the maximum over its partitions' metadata. Metadata in another
 * format (a reset, an older version) counts as zero. Stateless.
 */
final class CommittedMetrics {

    private static final String PREFIX = "hearth.metrics.v1 ";

    private CommittedMetrics() {
    }

    /** The metadata for one committed input partition: the counters of the tasks reading it, by stage. */
    static String encode(Map<Integer, TaskMetrics> byStage) {
        StringBuilder metadata = new StringBuilder(PREFIX);
        byStage.forEach((stage, metrics) -> {
            if (metadata.length() > PREFIX.length()) {
                metadata.append(';');
            }
            metadata.append(stage).append(':').append(metrics.recordsIn()).append(':').append(metrics.recordsOut())
                    .append(':').append(metrics.lateRecords());
        });
        return metadata.toString();
    }

    /** Merges the counters of one partition's metadata into {@code byStage} (counter-wise maximum). */
    static void merge(String metadata, Map<Integer, TaskMetrics> byStage) {
        if (metadata == null || !metadata.startsWith(PREFIX)) {
            return;
        }
        for (String entry : metadata.substring(PREFIX.length()).split(";")) {
            String[] fields = entry.split(":");
            if (fields.length != 4) {
                continue;
            }
            try {
                TaskMetrics found = new TaskMetrics(Long.parseLong(fields[1]), Long.parseLong(fields[2]),
                        Long.parseLong(fields[3]), Long.MIN_VALUE);
                byStage.merge(Integer.parseInt(fields[0]), found, (a, b) -> new TaskMetrics(
                        Math.max(a.recordsIn(), b.recordsIn()), Math.max(a.recordsOut(), b.recordsOut()),
                        Math.max(a.lateRecords(), b.lateRecords()), Long.MIN_VALUE));
            } catch (NumberFormatException e) {
                // not ours: counts as zero
            }
        }
    }

    /** The committed counters of one task from its input partitions' metadata; zeros if none. */
    static TaskMetrics of(int stage, Iterable<String> metadataOfInputs) {
        Map<Integer, TaskMetrics> byStage = new HashMap<>();
        for (String metadata : metadataOfInputs) {
            merge(metadata, byStage);
        }
        return byStage.getOrDefault(stage, new TaskMetrics(0, 0, 0, Long.MIN_VALUE));
    }
}
