package dev.hearth.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Figures of the server process as the operating system and the JVM report them: heap in use after a full GC
 * ({@code jcmd <pid> GC.run}, then {@code GC.heap_info}), open file descriptors ({@code /proc/<pid>/fd}) and
 * threads ({@code /proc/<pid>/status}). Linux only; the server must run as this user (it does: the test starts it).
 * Stateless, so thread-safe.
 */
final class ServerVitals {

    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
    private static final Pattern THREADS = Pattern.compile("(?m)^Threads:\\s+(\\d+)");

    private ServerVitals() {
    }

    /** Bytes of heap in use right after a full collection the server was asked to run. */
    static long heapUsedAfterGcBytes(long pid) {
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        Matcher used = HEAP_USED.matcher(info);
        if (!used.find()) {
            throw new AssertionError("no 'used ...K' in jcmd GC.heap_info of " + pid + ":\n" + info);
        }
        return Long.parseLong(used.group(1)) * 1024;
    }

    static int openFileDescriptors(long pid) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int threads(long pid) {
        try {
            Matcher threads = THREADS.matcher(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
            if (!threads.find()) {
                throw new AssertionError("no Threads: line in /proc/" + pid + "/status");
            }
            return Integer.parseInt(threads.group(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long mebibytes(long bytes) {
        return bytes >> 20;
    }

    private static String jcmd(long pid, String command) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process process = new ProcessBuilder(List.of(Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd",
                    Long.toString(pid), command)).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new AssertionError("jcmd " + pid + " " + command + " failed:\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running jcmd", e);
        }
    }
}
