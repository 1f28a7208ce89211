package dev.hearth.job.exec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * State several times larger than the heap: {@link LargeStateJob} runs in a JVM of {@value #MAX_HEAP} heap with a
 * persistent store of a million keys, and checks every output.
 */
class LargeStateTest {
    private static final String MAX_HEAP = "-Xmx32m";
    private static final int KEYS = 1_000_000;

    @TempDir
    Path stateRoot;

    @Test
    void aMillionKeysOfAHundredBytesRunInAThirtyTwoMegabyteHeap() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(List.of(java.toString(), MAX_HEAP, "-XX:+ExitOnOutOfMemoryError",
                "-cp", System.getProperty("java.class.path"), LargeStateJob.class.getName(), stateRoot.toString(),
                Integer.toString(KEYS))).redirectErrorStream(true).start();
        String output;
        boolean finished;
        try {
            finished = process.waitFor(120, TimeUnit.SECONDS);
            output = finished ? new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8) : "";
        } finally {
            process.destroyForcibly();
        }
        assertTrue(finished, "the job finishes within 2 minutes");
        assertEquals(0, process.exitValue(), "the job succeeds (no OutOfMemoryError, every output exact):\n"
                + output);
        Matcher figures = Pattern.compile("OK outputs=(\\d+) mismatches=0 stateBytes=(\\d+) maxHeapBytes=(\\d+)")
                .matcher(output);
        assertTrue(figures.find(), output);
        assertEquals(2L * KEYS, Long.parseLong(figures.group(1)), "one output per input record");
        long stateBytes = Long.parseLong(figures.group(2));
        long maxHeapBytes = Long.parseLong(figures.group(3));
        assertTrue(stateBytes > 3 * maxHeapBytes, "the state (" + stateBytes + " bytes serialized) is over three"
                + " times the heap (" + maxHeapBytes + " bytes)");
    }
}
