package dev.hearth.reliability;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A summary of what a server logged during a fault test, printed for the post-mortem: message ids and levels
 * counted, exception types counted, and stack traces grouped by kind (exception type and first Hearth frame) with
 * one example each. Reads at most 256 MiB from the given offset. Stateless, so thread-safe.
 */
final class ServerLog {

    private static final Pattern ANSI_COLOURS = Pattern.compile("\u001B\\[[0-9;]*m");
    private static final Pattern MESSAGE_ID = Pattern.compile("HEARTH-\\d{4}");
    private static final Pattern LEVEL = Pattern.compile("\\[(SEVERE|WARNING)\\]");
    private static final Pattern EXCEPTION_TYPE =
            Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_]*(?:Exception|Error)\\b");
    private static final Pattern STACK_TRACE =
            Pattern.compile("(?m)^(\\S*(?:Exception|Error)\\b.*)\\R((?:^\\s+at .*\\R){1,60})");
    private static final Pattern HEARTH_FRAME = Pattern.compile("at (dev\\.hearth\\.[^(]+)");

    private ServerLog() {
    }

    static void printSummary(String label, Path logFile, long fromByte) throws IOException {
        String log;
        try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
            byte[] bytes = new byte[(int) Math.max(0, Math.min(file.length() - fromByte, 256L << 20))];
            file.seek(fromByte);
            file.readFully(bytes);
            log = ANSI_COLOURS.matcher(new String(bytes, StandardCharsets.UTF_8)).replaceAll("");
        }
        Map<String, Integer> counts = new TreeMap<>();
        count(counts, log, MESSAGE_ID);
        count(counts, log, LEVEL);
        count(counts, log, EXCEPTION_TYPE);
        System.out.printf("%s: server log during the run (%,d bytes): %s%n", label, log.length(), counts);
        Map<String, Integer> traceCounts = new TreeMap<>();
        Map<String, String> examples = new TreeMap<>();
        Matcher trace = STACK_TRACE.matcher(log);
        while (trace.find()) {
            Matcher hearthFrame = HEARTH_FRAME.matcher(trace.group(2));
            String kind = trace.group(1).replaceAll("[:\\s].*", "") + " at "
                    + (hearthFrame.find() ? hearthFrame.group(1) : "(no Hearth frame)");
            traceCounts.merge(kind, 1, Integer::sum);
            examples.putIfAbsent(kind, trace.group(1) + "\n"
                    + trace.group(2).lines().limit(12).collect(Collectors.joining("\n")));
        }
        System.out.printf("%s: %d kinds of stack trace in the server log: %s%n", label, traceCounts.size(), traceCounts);
        examples.values().forEach(example -> System.out.printf("%s: stack trace example:%n%s%n", label, example));
    }

    private static void count(Map<String, Integer> counts, String text, Pattern pattern) {
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            counts.merge(matcher.group(), 1, Integer::sum);
        }
    }
}
