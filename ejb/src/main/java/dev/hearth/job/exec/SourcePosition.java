package dev.hearth.job.exec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a record entered the job: the topic, partition and offset of the source record it derives from, carried as
 * three headers so that they survive repartitioning. A task adds them to every record it writes to a repartition
 * topic (copied when its own input came from one, else naming its input record), and to every record it sends to a
 * late-record side output, so a late record always names the source record behind it, however many stages it
 * crossed. Sink outputs do not carry them. Values are UTF-8 (topic) and ASCII decimal (partition, offset), as the
 * dead-letter headers.
 * <p>
 * Records that do not derive from one input record (window results, emitted as the watermark advances) carry none.
 * Stateless.
 */
public final class SourcePosition {

    /** Header: the source topic of the record. */
    public static final String TOPIC_HEADER = "hearth.source.topic";
    /** Header: the partition of the source record, decimal. */
    public static final String PARTITION_HEADER = "hearth.source.partition";
    /** Header: the offset of the source record, decimal. */
    public static final String OFFSET_HEADER = "hearth.source.offset";

    private SourcePosition() {
    }

    /**
     * The position headers for {@code input}: copied from it if it came from a repartition topic (it then carries
     * them, unless written by a version without them), else naming the record itself.
     */
    static List<Header> of(InputRecord input, boolean fromRepartitionTopic) {
        if (fromRepartitionTopic) {
            List<Header> carried = new ArrayList<>(3);
            for (Header header : input.headers()) {
                if (isPositionHeader(header.key())) {
                    carried.add(header);
                }
            }
            return carried;
        }
        return List.of(new Header(TOPIC_HEADER, input.topic().getBytes(StandardCharsets.UTF_8)),
                new Header(PARTITION_HEADER, Integer.toString(input.partition()).getBytes(StandardCharsets.US_ASCII)),
                new Header(OFFSET_HEADER, Long.toString(input.offset()).getBytes(StandardCharsets.US_ASCII)));
    }

    static boolean isPositionHeader(String key) {
        return TOPIC_HEADER.equals(key) || PARTITION_HEADER.equals(key) || OFFSET_HEADER.equals(key);
    }
}
