package dev.hearth.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sparse offset → position index: lookups, and detection of every kind of damaged file on load. */
class OffsetIndexTest {

    private static final long BASE = 1000;

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("00000000000000001000.index");
    }

    /** Entries (1000 → 0), (1010 → 500), (1020 → 1200) for a 2000-byte log. */
    private OffsetIndex threeEntries() throws IOException {
        OffsetIndex index = OffsetIndex.open(file(), BASE);
        index.append(1000, 0);
        index.append(1010, 500);
        index.append(1020, 1200);
        index.flush();
        return index;
    }

    @Test
    void lookupFindsTheLastEntryAtOrBeforeTheOffset() throws IOException {
        try (OffsetIndex index = threeEntries()) {
            assertEquals(3, index.entries(), "three appended entries");
            assertEquals(0, index.lookupPosition(999), "below the first entry the scan starts at the file's start");
            assertEquals(0, index.lookupPosition(1000), "an exact hit returns its position");
            assertEquals(0, index.lookupPosition(1009), "between entries the earlier one is used");
            assertEquals(500, index.lookupPosition(1010), "an exact hit returns its position");
            assertEquals(500, index.lookupPosition(1019), "between entries the earlier one is used");
            assertEquals(1200, index.lookupPosition(1020), "the last entry is found");
            assertEquals(1200, index.lookupPosition(Long.MAX_VALUE), "beyond the last entry the last one is used");
        }
    }

    @Test
    void anEmptyIndexSendsEveryLookupToTheStart() throws IOException {
        try (OffsetIndex index = OffsetIndex.open(file(), BASE)) {
            assertEquals(0, index.lookupPosition(BASE + 12345), "an empty index knows no position but 0");
        }
    }

    @Test
    void entriesThatDoNotIncreaseAreIgnored() throws IOException {
        try (OffsetIndex index = threeEntries()) {
            index.append(1020, 1300);
            index.append(1015, 1400);
            index.append(1030, 1200);
            assertEquals(3, index.entries(), "an entry must increase both offset and position to be added");
            index.flush();
            assertEquals(3 * OffsetIndex.ENTRY_BYTES, Files.size(file()), "ignored entries are not written");
        }
    }

    @Test
    void aValidFileLoadsWithTheSameLookups() throws IOException {
        threeEntries().close();
        assertEquals(3 * OffsetIndex.ENTRY_BYTES, Files.size(file()), "three 8-byte entries on disk");

        try (OffsetIndex loaded = OffsetIndex.open(file(), BASE)) {
            assertTrue(loaded.load(2000), "a file of increasing entries inside the log is valid");
            assertEquals(3, loaded.entries(), "every entry is loaded");
            assertEquals(500, loaded.lookupPosition(1015), "lookups after load match lookups before");
            assertEquals(1200, loaded.lookupPosition(1025), "lookups after load match lookups before");
            loaded.append(1030, 1500);
            assertEquals(3 * OffsetIndex.ENTRY_BYTES, Files.size(file()), "entries reach the file only when flushed");
            loaded.flush();
            assertEquals(4 * OffsetIndex.ENTRY_BYTES, Files.size(file()), "appends after load go after the loaded entries");
        }
    }

    @Test
    void everyCutOfTheFileIsEitherLoadedAsAPrefixOrDetectedAsTorn() throws IOException {
        threeEntries().close();
        byte[] full = Files.readAllBytes(file());
        for (int length = 0; length <= full.length; length++) {
            Files.write(file(), Arrays.copyOf(full, length));
            try (OffsetIndex index = OffsetIndex.open(file(), BASE)) {
                boolean loaded = index.load(2000);
                int cut = length;
                if (length % OffsetIndex.ENTRY_BYTES == 0) {
                    assertTrue(loaded, () -> "a file cut at an entry boundary (" + cut + " bytes) is a valid prefix");
                    assertEquals(length / OffsetIndex.ENTRY_BYTES, index.entries(), "the whole entries are loaded");
                } else {
                    assertFalse(loaded, () -> "a file cut inside an entry (" + cut + " bytes) is torn");
                    assertEquals(0, index.entries(), "a torn index is left empty for the caller to rebuild");
                }
            }
        }
    }

    @Test
    void entriesThatDoNotIncreaseOrPointPastTheLogAreDetected() throws IOException {
        writeEntries(0, 0, 20, 100, 10, 200);
        try (OffsetIndex index = OffsetIndex.open(file(), BASE)) {
            assertFalse(index.load(2000), "decreasing relative offsets are not a valid index");
            assertEquals(0, index.entries(), "an invalid index is left empty");
        }
        writeEntries(0, 0, 10, 300, 20, 300);
        try (OffsetIndex index = OffsetIndex.open(file(), BASE)) {
            assertFalse(index.load(2000), "repeated positions are not a valid index");
        }
        writeEntries(0, 0, 10, 300);
        try (OffsetIndex index = OffsetIndex.open(file(), BASE)) {
            assertFalse(index.load(300), "an entry at or beyond the log's size is not a valid index for it");
        }
        try (OffsetIndex index = OffsetIndex.open(file(), BASE)) {
            assertTrue(index.load(301), "the same entries are valid for a log long enough to hold them");
        }
    }

    @Test
    void resetEmptiesTheFile() throws IOException {
        try (OffsetIndex index = threeEntries()) {
            index.reset();
            assertEquals(0, index.entries(), "reset forgets every entry");
            assertEquals(0, Files.size(file()), "reset truncates the file");
            index.append(1005, 100);
            assertEquals(100, index.lookupPosition(1005), "a reset index can be appended to again");
        }
    }

    private void writeEntries(int... relativeOffsetsAndPositions) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(4 * relativeOffsetsAndPositions.length);
        for (int value : relativeOffsetsAndPositions) {
            buffer.putInt(value);
        }
        Files.write(file(), buffer.array());
    }
}
