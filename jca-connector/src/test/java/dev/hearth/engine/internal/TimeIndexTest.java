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

/** The sparse timestamp → offset index: scan starts, and detection of every kind of damaged file on load. */
class TimeIndexTest {

    private static final long BASE = 500;

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("00000000000000000500.timeindex");
    }

    /** Entries (1000 → 509), (2000 → 519), (3000 → 529): batches ending at those offsets, max timestamps so far. */
    private TimeIndex threeEntries() throws IOException {
        TimeIndex index = TimeIndex.open(file(), BASE);
        index.maybeAppend(1000, 509);
        index.maybeAppend(2000, 519);
        index.maybeAppend(3000, 529);
        index.flush();
        return index;
    }

    @Test
    void scanStartIsTheLastEntryStrictlyOlderThanTheTarget() throws IOException {
        try (TimeIndex index = threeEntries()) {
            assertEquals(BASE, index.lookupScanStart(0), "with no older entry the scan starts at the base offset");
            assertEquals(BASE, index.lookupScanStart(1000),
                    "records at exactly 1000 may be anywhere up to 509, so the scan starts at the base");
            assertEquals(509, index.lookupScanStart(1001), "everything up to 509 is older than 1001");
            assertEquals(509, index.lookupScanStart(2000), "records at exactly 2000 may lie before 519");
            assertEquals(519, index.lookupScanStart(2500), "everything up to 519 is older than 2500");
            assertEquals(529, index.lookupScanStart(Long.MAX_VALUE), "beyond the last entry the last one is used");
            assertEquals(3000, index.lastTimestamp(), "the last entry holds the segment's largest timestamp");
        }
    }

    @Test
    void onlyNewerTimestampsAtLaterOffsetsAreAdded() throws IOException {
        try (TimeIndex index = threeEntries()) {
            index.maybeAppend(2500, 539);
            index.maybeAppend(3000, 540);
            index.maybeAppend(4000, 529);
            assertEquals(3000, index.lastTimestamp(), "out-of-order or repeated timestamps add nothing");
            index.flush();
            assertEquals(3 * TimeIndex.ENTRY_BYTES, Files.size(file()), "ignored entries are not written");
            index.maybeAppend(4000, 541);
            assertEquals(4000, index.lastTimestamp(), "a newer timestamp at a later offset is added");
        }
    }

    @Test
    void anEmptyIndexHasNoTimestamp() throws IOException {
        try (TimeIndex index = TimeIndex.open(file(), BASE)) {
            assertEquals(-1, index.lastTimestamp(), "an empty index reports -1, no timestamp");
            assertEquals(BASE, index.lookupScanStart(12345), "an empty index scans from the base offset");
        }
    }

    @Test
    void aValidFileLoadsWithTheSameLookups() throws IOException {
        threeEntries().close();
        try (TimeIndex loaded = TimeIndex.open(file(), BASE)) {
            assertTrue(loaded.load(530), "entries for offsets below the segment's next offset are valid");
            assertEquals(3000, loaded.lastTimestamp(), "the largest timestamp is loaded");
            assertEquals(519, loaded.lookupScanStart(2500), "lookups after load match lookups before");
        }
    }

    @Test
    void everyCutOfTheFileIsEitherLoadedAsAPrefixOrDetectedAsTorn() throws IOException {
        threeEntries().close();
        byte[] full = Files.readAllBytes(file());
        for (int length = 0; length <= full.length; length++) {
            Files.write(file(), Arrays.copyOf(full, length));
            try (TimeIndex index = TimeIndex.open(file(), BASE)) {
                boolean loaded = index.load(530);
                int cut = length;
                int whole = length / TimeIndex.ENTRY_BYTES;
                if (length % TimeIndex.ENTRY_BYTES == 0) {
                    assertTrue(loaded, () -> "a file cut at an entry boundary (" + cut + " bytes) is a valid prefix");
                    assertEquals(whole == 0 ? -1 : 1000L * whole, index.lastTimestamp(), "the whole entries are loaded");
                } else {
                    assertFalse(loaded, () -> "a file cut inside an entry (" + cut + " bytes) is torn");
                    assertEquals(-1, index.lastTimestamp(), "a torn index is left empty for the caller to rebuild");
                }
            }
        }
    }

    @Test
    void entriesThatDoNotIncreaseOrPointPastTheSegmentAreDetected() throws IOException {
        writeEntries(1000, 9, 900, 19);
        try (TimeIndex index = TimeIndex.open(file(), BASE)) {
            assertFalse(index.load(530), "decreasing timestamps are not a valid index");
            assertEquals(-1, index.lastTimestamp(), "an invalid index is left empty");
        }
        writeEntries(1000, 9, 2000, 9);
        try (TimeIndex index = TimeIndex.open(file(), BASE)) {
            assertFalse(index.load(530), "repeated offsets are not a valid index");
        }
        writeEntries(1000, 9, 2000, 29);
        try (TimeIndex index = TimeIndex.open(file(), BASE)) {
            assertFalse(index.load(529), "an entry at or past the segment's next offset is not valid for it");
        }
        try (TimeIndex index = TimeIndex.open(file(), BASE)) {
            assertTrue(index.load(530), "the same entries are valid for a segment that reaches offset 529");
        }
    }

    private void writeEntries(long... timestampsAndRelativeOffsets) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(TimeIndex.ENTRY_BYTES * timestampsAndRelativeOffsets.length / 2);
        for (int i = 0; i < timestampsAndRelativeOffsets.length; i += 2) {
            buffer.putLong(timestampsAndRelativeOffsets[i]).putInt((int) timestampsAndRelativeOffsets[i + 1]);
        }
        Files.write(file(), buffer.array());
    }
}
