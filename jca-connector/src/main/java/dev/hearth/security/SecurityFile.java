package dev.hearth.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import dev.hearth.engine.internal.AtomicFiles;

/**
 * The format of the files in the security directory (the user directory, the ACLs): UTF-8 text, one record per
 * line, a fixed number of tab-separated fields; free text (names, principals, hosts) URL-encoded ({@link #encode})
 * so that it holds no tab or line break; lines starting with {@code #} and blank lines ignored. The whole file is
 * replaced with {@link AtomicFiles} (owner-only, fsync, rename, fsync the directory) on every change, its first line a
 * comment naming the fields.
 *
 * <p>Thread-safety: stateless apart from its settings; writers of one file are serialized by its owner.
 *
 * @param <T> what one line holds
 */
final class SecurityFile<T> {

    private final Path path;
    /** What a record is, for messages ("a SCRAM credential"). */
    private final String recordName;
    private final List<String> fieldNames;
    private final Function<String[], T> parser;
    private final Function<T, String[]> formatter;

    /**
     * @param parser    a record from its fields (exactly {@code fieldNames.size()}); throws on anything invalid
     * @param formatter a record's fields, free text already {@link #encode encoded}
     */
    SecurityFile(Path path, String recordName, List<String> fieldNames, Function<String[], T> parser,
                 Function<T, String[]> formatter) {
        this.path = path;
        this.recordName = recordName;
        this.fieldNames = List.copyOf(fieldNames);
        this.parser = parser;
        this.formatter = formatter;
    }

    Path path() {
        return path;
    }

    /**
     * Every record, in file order; none when the file does not exist.
     *
     * @throws IllegalStateException (HEARTH-0810) naming the line that is not a record
     * @throws UncheckedIOException  (HEARTH-0811) when the file cannot be read
     */
    List<T> read() {
        List<T> records = new ArrayList<>();
        if (!Files.exists(path)) {
            return records;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("HEARTH-0811 Cannot read " + path, e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\t", -1);
            try {
                if (fields.length != fieldNames.size()) {
                    throw new IllegalArgumentException(fieldNames.size() + " tab-separated fields expected, found "
                            + fields.length);
                }
                records.add(parser.apply(fields));
            } catch (RuntimeException e) {
                throw new IllegalStateException("HEARTH-0810 " + path + " line " + (i + 1) + " is not " + recordName
                        + " (" + String.join(", ", fieldNames) + "): " + e.getMessage(), e);
            }
        }
        return records;
    }

    /**
     * Replaces the file's content with these records; durable on return.
     *
     * @throws UncheckedIOException (HEARTH-0813) when it cannot be written; the old content is then still there
     */
    void write(Iterable<T> records) {
        StringBuilder content = new StringBuilder("# ").append(String.join(" ", fieldNames)).append('\n');
        for (T record : records) {
            content.append(String.join("\t", formatter.apply(record))).append('\n');
        }
        try {
            AtomicFiles.write(path, content.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("HEARTH-0813 Cannot write " + path, e);
        }
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    static String decode(String field) {
        return URLDecoder.decode(field, StandardCharsets.UTF_8);
    }
}
