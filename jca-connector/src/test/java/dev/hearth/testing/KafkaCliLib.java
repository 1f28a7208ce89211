package dev.hearth.testing;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The jars module {@code kafka-cli} collects into {@code kafka-cli/target/lib} (Apache Kafka 4.3.1: broker, tools,
 * Connect runtime, their kafka-clients and slf4j-jdk14), the command line of a JVM of its own that runs one of
 * their main classes, and the files such a JVM reads (its properties, its logging configuration). Those jars never meet a test JVM's class path (whose kafka-clients is another version): tests
 * talk to such a process over the network only.
 *
 * <p>Stateless; thread-safe.
 */
public final class KafkaCliLib {

    private KafkaCliLib() {
    }

    /**
     * The lib directory: system property {@code kafka.cli.lib}, else {@code ../kafka-cli/target/lib} from the working
     * directory (a module's base directory under Maven).
     *
     * @throws IllegalStateException when it holds no Apache Kafka broker jar, with how to build it
     */
    public static Path locate() throws IOException {
        String property = System.getProperty("kafka.cli.lib");
        Path lib = (property != null && !property.isBlank() ? Path.of(property)
                : Path.of(System.getProperty("user.dir"), "..", "kafka-cli", "target", "lib")).toAbsolutePath()
                .normalize();
        if (Files.isDirectory(lib)) {
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(lib, "kafka_2.13-*.jar")) {
                if (jars.iterator().hasNext()) {
                    return lib;
                }
            }
        }
        throw new IllegalStateException("no Apache Kafka broker jars (kafka_2.13-*.jar) in " + lib
                + " (system property kafka.cli.lib, else ../kafka-cli/target/lib): build them with"
                + " `mvn -pl kafka-cli package` from the project's root");
    }

    /**
     * The command that runs {@code mainClass} from {@code lib} in this JVM's own {@code java}: a small heap
     * ({@code maxHeap} as {@code -Xmx} takes it), serial GC and C1 only (quick starts on a small machine), headless,
     * java.util.logging configured by {@code loggingProperties} (the lib logs through slf4j-jdk14).
     */
    public static List<String> javaCommand(Path lib, String maxHeap, Path loggingProperties, String mainClass,
            List<String> args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(), "-Xmx" + maxHeap, "-Xms64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Djava.awt.headless=true",
                "-Djava.util.logging.config.file=" + loggingProperties,
                "-cp", lib + "/*", mainClass));
        command.addAll(args);
        return command;
    }

    /**
     * A {@code java.util.logging} configuration for such a JVM (the lib logs through slf4j-jdk14, having no log4j
     * binding): INFO and above, one line each, to standard error; the {@code quietLoggers} (logger names, a prefix
     * of the loggers below them) at WARNING, for the configuration dumps and chatter that make up most of the output.
     */
    public static String loggingProperties(String... quietLoggers) {
        StringBuilder text = new StringBuilder(String.join("\n",
                "handlers=java.util.logging.ConsoleHandler",
                ".level=INFO",
                "java.util.logging.ConsoleHandler.level=ALL",
                "java.util.logging.ConsoleHandler.formatter=java.util.logging.SimpleFormatter",
                "java.util.logging.SimpleFormatter.format=[%1$tT.%1$tL] %4$s %5$s (%3$s)%6$s%n", ""));
        for (String logger : quietLoggers) {
            text.append(logger).append(".level=WARNING\n");
        }
        return text.toString();
    }

    /**
     * The text of a Java properties file of {@code properties} in their order, headed by a comment naming
     * {@code writer}; backslashes escaped, values otherwise as given.
     */
    public static String propertiesFile(Class<?> writer, Map<String, String> properties) {
        StringBuilder text = new StringBuilder("# Written by " + writer.getName() + "\n");
        properties.forEach((key, value) -> text.append(key).append('=').append(value.replace("\\", "\\\\"))
                .append('\n'));
        return text.toString();
    }
}
