package dev.hearth.engine;

import static dev.hearth.engine.EngineTestSupport.T0;
import static dev.hearth.engine.EngineTestSupport.batch;
import static dev.hearth.engine.EngineTestSupport.config;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.engine.log.LogEngine;

/**
 * A request's appends to several partitions are all written before any is fsynced: nothing is flushed or
 * announced until each pending append is completed, and completing gives the same result as a plain append.
 */
class PendingAppendTest {

    @TempDir
    Path dataDir;

    @Test
    void appendsAreFlushedAndAnnouncedOnlyWhenCompleted() {
        try (LogEngine engine = LogEngine.open(config(dataDir))) {
            engine.createTopic("t", 3, Map.of());
            List<String> announced = new CopyOnWriteArrayList<>();
            engine.addAppendListener((topic, partition, logEndOffset) -> announced.add(partition + "@" + logEndOffset));
            long flushesBefore = engine.stats().flushCount();
            List<PendingAppend> pending = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                pending.add(engine.appendWithoutFlush("t", p, batch(T0, "a", "b")));
            }
            assertEquals(flushesBefore, engine.stats().flushCount(), "written, not yet fsynced");
            assertEquals(List.of(), announced, "not yet announced to parked fetches");
            for (PendingAppend append : pending) {
                AppendResult result = append.complete();
                assertEquals(0, result.baseOffset(), "each partition's first batch");
                assertEquals(1, result.lastOffset(), "two records");
            }
            assertEquals(flushesBefore + 3, engine.stats().flushCount(), "each partition fsynced on completion");
            assertEquals(List.of("0@2", "1@2", "2@2"), announced, "announced once durable");
        }
    }
}
