package dev.hearth.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Keeps the catalogue of operator message ids in docs/operations.md true to the code, without a server: every
 * {@code HEARTH-nnnn} id in a string of the main sources of every module has a catalogue row with a meaning and an
 * action, every row names an id still in use, and an id stands for one message. "One message" is checked as: all
 * uses of an id are in one source file (variants of one event, such as the several ways a key store cannot be read,
 * may share it), or else every use starts with the same text (one event logged from two places). Ids in comments
 * and Javadoc are references, not uses.
 */
class MessageCatalogueTest {

    private static final Pattern ID_IN_STRING = Pattern.compile("\"(HEARTH-\\d{4})((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern STRING = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern ID = Pattern.compile("HEARTH-\\d{4}");
    private static final Pattern CATALOGUE_ROW = Pattern.compile("^\\| `(HEARTH-\\d{4})` \\|(.*)$");
    private static final String CATALOGUE_HEADING = "## Message catalogue";

    /** One use of an id: where, and the text of the message right after it. */
    private record Use(String id, Path file, int line, String text) {
        @Override
        public String toString() {
            return file + ":" + line + " \"" + text + "\"";
        }
    }

    @Test
    void everyMessageIdInTheCodeIsCataloguedOnceWithItsMeaningAndAction() throws IOException {
        Path root = repositoryRoot();
        Map<String, List<Use>> uses = uses(root);
        assertTrue(uses.size() > 100, "the scan finds the code's message ids (found " + uses.size() + ")");
        Map<String, String[]> catalogue = catalogue(root.resolve("docs/operations.md"));

        Set<String> missing = new TreeSet<>(uses.keySet());
        missing.removeAll(catalogue.keySet());
        assertEquals(Set.of(), missing, "message ids used in the code but missing from docs/operations.md's "
                + CATALOGUE_HEADING + " (add a row: | `HEARTH-nnnn` | level | meaning | action |): "
                + missing.stream().map(id -> id + " at " + uses.get(id).get(0)).collect(Collectors.joining("; ")));

        Set<String> stale = new TreeSet<>(catalogue.keySet());
        stale.removeAll(uses.keySet());
        assertEquals(Set.of(), stale, "catalogue rows for ids no main source uses any more: remove them");

        List<String> incomplete = catalogue.entrySet().stream()
                .filter(row -> row.getValue().length < 3 || Stream.of(row.getValue()).anyMatch(String::isBlank))
                .map(Map.Entry::getKey).toList();
        assertEquals(List.of(), incomplete, "catalogue rows need a level, a meaning and an operator's action");

        List<String> reused = new ArrayList<>();
        uses.forEach((id, all) -> {
            boolean oneFile = all.stream().map(Use::file).distinct().count() == 1;
            boolean oneText = all.stream().map(Use::text).distinct().count() == 1;
            if (!oneFile && !oneText) {
                reused.add(id + " is used for different messages: " + all);
            }
        });
        assertEquals(List.of(), reused, "an id stands for one message; give the new one the next free id of its range");
    }

    /** Every id in a string literal of a main source file, by id. */
    private static Map<String, List<Use>> uses(Path root) throws IOException {
        Map<String, List<Use>> uses = new TreeMap<>();
        List<Path> sources = new ArrayList<>();
        List<Path> mains;
        try (Stream<Path> modules = Files.list(root)) {
            mains = modules.map(module -> module.resolve("src/main")).filter(Files::isDirectory).sorted().toList();
        }
        for (Path main : mains) {
            try (Stream<Path> files = Files.walk(main)) {
                files.filter(Files::isRegularFile)
                        .filter(file -> file.getFileName().toString().matches(".*\\.(java|js|properties|xml|html)"))
                        .sorted().forEach(sources::add);
            }
        }
        for (Path file : sources) {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                String code = line.strip();
                if (code.startsWith("*") || code.startsWith("//") || code.startsWith("/*")) {
                    continue;
                }
                Path relative = root.relativize(file);
                if (!file.toString().endsWith(".java")) {
                    Matcher any = ID.matcher(line);
                    while (any.find()) {
                        uses.computeIfAbsent(any.group(), id -> new ArrayList<>()).add(new Use(any.group(), relative, i + 1, ""));
                    }
                    continue;
                }
                Matcher matcher = ID_IN_STRING.matcher(line);
                while (matcher.find()) {
                    String text = matcher.group(2).strip();
                    if (text.isEmpty()) {
                        // problems.warn("HEARTH-0401", () -> "Closing ..."): the message is the next string.
                        Matcher next = STRING.matcher(line);
                        text = next.find(matcher.end()) ? next.group(1).strip() : "";
                    }
                    uses.computeIfAbsent(matcher.group(1), id -> new ArrayList<>())
                            .add(new Use(matcher.group(1), relative, i + 1, text));
                }
            }
        }
        return uses;
    }

    /** The catalogue's rows by id: the cells after the id (level, meaning, action). Duplicate rows fail. */
    private static Map<String, String[]> catalogue(Path operations) throws IOException {
        assertTrue(Files.isRegularFile(operations), operations + " exists");
        Map<String, String[]> rows = new TreeMap<>();
        boolean inCatalogue = false;
        for (String line : Files.readAllLines(operations)) {
            if (line.startsWith("## ")) {
                inCatalogue = line.startsWith(CATALOGUE_HEADING);
                continue;
            }
            Matcher row = CATALOGUE_ROW.matcher(line);
            if (inCatalogue && row.matches()) {
                String rest = row.group(2).strip();
                String[] cells = (rest.endsWith("|") ? rest.substring(0, rest.length() - 1) : rest).split(" \\| ", -1);
                for (int i = 0; i < cells.length; i++) {
                    cells[i] = cells[i].strip();
                }
                String[] previous = rows.put(row.group(1), cells);
                assertTrue(previous == null, row.group(1) + " has two rows in the catalogue");
            }
        }
        assertTrue(!rows.isEmpty(), operations + " has a " + CATALOGUE_HEADING + " section with rows");
        return rows;
    }

    /** The source tree: the test runs in module it/, the catalogue is in docs/ beside it. */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("docs")) && Files.isDirectory(dir.resolve("jca-connector"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no source tree (docs/ and jca-connector/) above " + Path.of("").toAbsolutePath());
    }
}
