package dev.hearth.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

/** One line per kind per interval, with the count of the lines left out; kinds do not share a window. */
class ClientProblemLogTest {

    @Test
    void repeatedWarningsAreWrittenOncePerIntervalWithTheCountLeftOut() {
        Logger logger = Logger.getAnonymousLogger();
        logger.setUseParentHandlers(false);
        List<LogRecord> written = new ArrayList<>();
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                written.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        AtomicLong now = new AtomicLong();
        ClientProblemLog log = new ClientProblemLog(logger, 10_000, now::get);

        for (int i = 0; i < 200_000; i++) {
            log.warn("HEARTH-0401", () -> "malformed");
        }
        log.warn("HEARTH-0403", () -> "too long");
        assertEquals(2, written.size(), "200,000 bad frames write one line, another kind its own");
        assertEquals("HEARTH-0401 malformed", written.get(0).getMessage(), "the first line as reported");
        assertNull(written.get(0).getThrown(), "no stack trace for a client's mistake");

        now.addAndGet(TimeUnit.SECONDS.toNanos(10));
        log.warn("HEARTH-0401", () -> "malformed again");
        assertEquals(3, written.size(), "a line again after the interval");
        assertTrue(written.get(2).getMessage().startsWith("HEARTH-0401 malformed again (199999 more like this"),
                "with the count of the lines left out: " + written.get(2).getMessage());
    }
}
