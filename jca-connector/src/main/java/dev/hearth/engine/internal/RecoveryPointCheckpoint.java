package dev.hearth.engine.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code recovery-point-offset-checkpoint} in the data directory: one line {@code <topic> <partition>
 * <offset>} per partition, meaning every offset below is known to be on disk. After an unclean shutdown
 * only segments from the recovery point on are re-validated. Written atomically; a missing file means
 * "recover everything". Not thread-safe: used by the engine's maintenance and close paths only.
 */
final class RecoveryPointCheckpoint {

    static final String FILE_NAME = "recovery-point-offset-checkpoint";

    private RecoveryPointCheckpoint() {
    }

    static Map<String, Long> read(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        Map<String, Long> points = new HashMap<>();
        if (!Files.exists(file)) {
            return points;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] parts = line.trim().split(" ");
            if (parts.length == 3) {
                points.put(key(parts[0], Integer.parseInt(parts[1])), Long.parseLong(parts[2]));
            }
        }
        return points;
    }

    static void write(Path dataDir, Iterable<PartitionLog> partitions) throws IOException {
        StringBuilder text = new StringBuilder();
        // Offline partitions are written too, with the recovery point they were opened with: dropping their
        // line would make the next start recover them from 0 and silently cut data acknowledged as durable.
        for (PartitionLog log : partitions) {
            text.append(log.topic()).append(' ').append(log.partition()).append(' ')
                    .append(log.recoveryPoint()).append('\n');
        }
        AtomicFiles.write(dataDir.resolve(FILE_NAME), text.toString().getBytes(StandardCharsets.UTF_8));
    }

    static String key(String topic, int partition) {
        return topic + ' ' + partition;
    }
}
