package dev.hearth.testing;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The jars module {@code kafka-cli} collects into {@code kafka-cli/target/lib} (Apache Kafka 4.3.1's broker, tools,
 * MirrorMaker 2 and their kafka-clients 4.3.1), and the command line of a child JVM that runs one of their main classes.
 * Those jars never meet a test JVM's class path (its kafka-clients is Hearth's): tests run them as separate processes.
 *
 * <p>Every child JVM is small on purpose (the test machines have 2 cores shared by several suites): a heap of its
 * own choosing, the serial collector, C1 only, and {@code java.util.logging} configured from a file (the lib logs
 * through slf4j-jdk14).
 *
 * <p>Immutable and thread-safe.
 */
public final class KafkaLib {

    private final Path dir;

    private KafkaLib(Path dir) {
        this.dir = dir;
    }

    /**
     * The lib directory: system property {@code kafka.cli.lib}, else {@code ../kafka-cli/target/lib} from the working
     * directory (a module's base directory under Maven).
     *
     * @throws IllegalStateException when it holds no Apache Kafka broker jar (module kafka-cli not built)
     */
    public static KafkaLib locate() throws IOException {
        String property = System.getProperty("kafka.cli.lib");
        Path lib = (property != null && !property.isBlank() ? Path.of(property)
                : Path.of(System.getProperty("user.dir"), "..", "kafka-cli", "target", "lib")).toAbsolutePath()
                .normalize();
        if (Files.isDirectory(lib)) {
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(lib, "kafka_2.13-*.jar")) {
                if (jars.iterator().hasNext()) {
                    return new KafkaLib(lib);
                }
            }
        }
        throw new IllegalStateException("no Apache Kafka broker jars (kafka_2.13-*.jar) in " + lib
                + " (system property kafka.cli.lib, else ../kafka-cli/target/lib): build them with"
                + " `mvn -pl kafka-cli package` from the project's root");
    }

    public Path dir() {
        return dir;
    }

    /**
     * The command that runs {@code mainClass} from this lib with {@code args}: {@code maxHeap} as {@code -Xmx} takes
     * it, {@code loggingConfig} as the {@code java.util.logging} configuration file. A new, mutable list.
     */
    public List<String> javaCommand(String maxHeap, Path loggingConfig, String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(), "-Xmx" + maxHeap, "-Xms64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Djava.awt.headless=true", "-Djava.util.logging.config.file=" + loggingConfig,
                "-cp", dir + "/*", mainClass));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * A {@code java.util.logging} configuration for a child JVM (the lib logs through slf4j-jdk14, whose FINE and
     * FINEST are slf4j's DEBUG and TRACE): INFO and above, one line each ({@code [time] LEVEL message (logger)}), to
     * standard error, without the configuration dumps, client chatter and metrics of every Kafka process; then
     * {@code levels} (logger name → level), which may override those.
     */
    public static String loggingProperties(Map<String, String> levels) {
        StringBuilder text = new StringBuilder(String.join("\n",
                "handlers=java.util.logging.ConsoleHandler",
                ".level=INFO",
                "java.util.logging.ConsoleHandler.level=ALL",
                "java.util.logging.ConsoleHandler.formatter=java.util.logging.SimpleFormatter",
                "java.util.logging.SimpleFormatter.format=[%1$tT.%1$tL] %4$s %5$s (%3$s)%6$s%n",
                "org.apache.kafka.common.config.level=WARNING",
                "org.apache.kafka.clients.level=WARNING",
                "org.apache.kafka.common.utils.AppInfoParser.level=WARNING",
                "org.apache.kafka.common.metrics.level=WARNING",
                ""));
        new TreeMap<>(levels).forEach((logger, level) -> text.append(logger).append(".level=").append(level)
                .append('\n'));
        return text.toString();
    }
}
