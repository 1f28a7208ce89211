package dev.hearth.record.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

import dev.hearth.connector.api.HearthConnection;
import dev.hearth.connector.api.HearthConnectionException;
import dev.hearth.connector.api.HearthRecord;
import dev.hearth.connector.api.PartitionDescription;
import dev.hearth.connector.api.TopicDescription;

class RecordSearchTest {

    /** Two partitions of 1 200 records each; record n has key "key-n" and value "value-n", timestamp 1000 + n. */
    private static final int RECORDS = 1_200;
    private final List<int[]> reads = new ArrayList<>();
    private final HearthConnection connection = (HearthConnection) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {HearthConnection.class}, (proxy, method, args) -> switch (method.getName()) {
                case "describeTopic" -> new TopicDescription("t", "id", Map.of(), List.of(
                        new PartitionDescription(0, true, 0, RECORDS, RECORDS, 0, 1),
                        new PartitionDescription(1, true, 0, RECORDS, RECORDS, 0, 1)));
                case "offsetForTimestamp" -> OptionalLong.of(Math.max(0, (long) args[2] - 1000));
                case "read" -> read((int) args[1], (long) args[2], (int) args[3]);
                default -> throw new UnsupportedOperationException(method.getName());
            });

    private List<HearthRecord> read(int partition, long offset, int maxRecords) {
        reads.add(new int[] {partition, (int) offset, maxRecords});
        List<HearthRecord> records = new ArrayList<>();
        for (long o = offset; o < Math.min(RECORDS, offset + maxRecords); o++) {
            records.add(new HearthRecord("t", partition, o, 1000 + o, bytes("key-" + o), bytes("value-" + o), Map.of()));
        }
        return records;
    }

    @Test
    void findsMatchesInKeysAndValuesAcrossPartitionsAndScansToTheEnd() {
        RecordSearch.Result result = new RecordSearch("-1199", null, null, 10_000, 10).scan(connection, "t");
        assertEquals(List.of("0/1199", "1/1199"), result.matches().stream().map(r -> r.partition() + "/" + r.offset()).toList(),
                "the last record of each partition matches '-1199'");
        assertEquals(2 * RECORDS, result.scannedRecords(), "every record was read once");
        assertTrue(result.complete(), "both partitions were scanned to their end");
        assertEquals(Map.of(0, (long) RECORDS, 1, (long) RECORDS), result.nextOffsets(), "each scan stopped at the log end");
    }

    @Test
    void stopsAtTheScanLimitAndSaysWhereToContinue() {
        RecordSearch.Result result = new RecordSearch("value-", null, null, 700, 1_000).scan(connection, "t");
        assertEquals(700, result.scannedRecords(), "no more than max scanned records are read");
        assertEquals(700, result.matches().size(), "every record read matches 'value-'");
        assertFalse(result.complete(), "the scan was cut short");
        assertEquals(Map.of(0, 700L, 1, 0L), result.nextOffsets(), "partition 0 continues at 700; partition 1 was not reached");
        assertTrue(reads.stream().allMatch(r -> r[2] <= RecordSearch.CHUNK_RECORDS), "the log is read in bounded chunks");
    }

    @Test
    void stopsAtTheMatchLimitAndStartsAtATimestampInOnePartition() {
        RecordSearch.Result result = new RecordSearch("key-", 1, 1_500L, 10_000, 3).scan(connection, "t");
        assertEquals(List.of(500L, 501L, 502L), result.matches().stream().map(HearthRecord::offset).toList(),
                "the first three records at or after timestamp 1500 (offset 500) of partition 1");
        assertEquals(Map.of(1, 503L), result.nextOffsets(), "only partition 1 was scanned, up to the third match");
    }

    @Test
    void anUnknownPartitionIsAnError() {
        assertThrows(HearthConnectionException.class, () -> new RecordSearch("x", 7, null, 10, 10).scan(connection, "t"),
                "partition 7 does not exist");
    }

    @Test
    void containsFindsSubstringsOfBytesOnly() {
        assertTrue(RecordSearch.contains(bytes("{\"customer\":\"ada\"}"), bytes("ada")), "a substring is found");
        assertFalse(RecordSearch.contains(bytes("ad"), bytes("ada")), "a shorter haystack holds nothing longer");
        assertFalse(RecordSearch.contains(null, bytes("a")), "a null key matches nothing");
        assertFalse(RecordSearch.contains(bytes("ADA"), bytes("ada")), "the match is case-sensitive");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
