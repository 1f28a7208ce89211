package dev.hearth.kafka;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.hearth.platform.HearthServer;
import dev.hearth.testing.KafkaCluster;

/**
 * Apache Kafka's CLI tools (kafka-tools 4.3.1, each a separate process, as {@link KafkaCliToolsIT} runs them) against
 * one Hearth on Payara Micro and one real Apache Kafka 4.3.1 KRaft node, with the same scripted sequence of
 * invocations: every step runs on both at once, and its exit code and normalized standard output must be equal.
 *
 * <p>Normalization is deliberately small; each rule says why it exists ({@link Target#normalize}). Where Hearth differs
 * for a defensible reason the step names the difference it expects ({@link #expectDifferent}) instead of being skipped.
 * Mismatches are collected over the whole script and reported together (one run shows every difference), with both
 * raw outputs kept in {@code <work>/cli-compare/report.txt}.
 *
 * <p>Not thread-safe: one test method; the two invocations of a step run concurrently, steps run in order.
 */
class CliToolsAgainstKafkaIT {

    private static final String TOPICS = "org.apache.kafka.tools.TopicCommand";
    private static final String CONFIGS = "kafka.admin.ConfigCommand";
    private static final String GROUPS = "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand";
    private static final String PRODUCER = "org.apache.kafka.tools.ConsoleProducer";
    private static final String CONSUMER = "org.apache.kafka.tools.consumer.ConsoleConsumer";
    private static final String GET_OFFSETS = "org.apache.kafka.tools.GetOffsetShell";
    private static final String DELETE_RECORDS = "org.apache.kafka.tools.DeleteRecordsCommand";
    private static final String LOG_DIRS = "org.apache.kafka.tools.LogDirsCommand";
    private static final String TRANSACTIONS = "org.apache.kafka.tools.TransactionsCommand";
    private static final String FEATURES = "org.apache.kafka.tools.FeatureCommand";
    private static final String ACLS = "org.apache.kafka.tools.AclCommand";
    private static final String API_VERSIONS = "org.apache.kafka.tools.BrokerApiVersionsCommand";
    private static final String LEADER_ELECTION = "org.apache.kafka.tools.LeaderElectionCommand";
    private static final String VERIFIABLE_PRODUCER = "org.apache.kafka.tools.VerifiableProducer";
    private static final String VERIFIABLE_CONSUMER = "org.apache.kafka.tools.VerifiableConsumer";
    /** Stands for the target's bootstrap address in a step's arguments. */
    private static final String BOOTSTRAP = "{bootstrap}";
    /** Stands for the target's broker (node) id in a step's arguments. */
    private static final String BROKER_ID = "{broker}";

    private final List<String> mismatches = new ArrayList<>();
    private final StringBuilder report = new StringBuilder();
    private Path workDir;
    private Target hearth;
    private Target kafka;

    @Test
    void everyCliToolAnswersHearthAsItAnswersApacheKafka() throws Exception {
        workDir = Files.createDirectories(HearthServer.workDir().resolve("cli-compare-" + System.nanoTime()));
        CompletableFuture<KafkaCluster> startingKafka = CompletableFuture.supplyAsync(() -> {
            try {
                return KafkaCluster.builder(workDir.resolve("kafka")).brokers(1).start();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
        try (HearthServer server = new HearthServer(Files.createDirectories(workDir.resolve("hearth-data")),
                "cli-compare-hearth").start();
             KafkaCluster cluster = startingKafka.get(5, TimeUnit.MINUTES)) {
            // Hearth is one node with id 0; the test cluster numbers its nodes from 1.
            hearth = new Target("hearth", server.bootstrapServers(), 0);
            kafka = new Target("kafka", cluster.bootstrapServers(), cluster.nodeIds().iterator().next());
            script();
        } finally {
            Files.writeString(workDir.resolve("report.txt"), report);
        }
        assertTrue(mismatches.isEmpty(), mismatches.size() + " CLI steps answer Hearth differently from Apache Kafka"
                + " (both outputs in " + workDir.resolve("report.txt") + "):\n" + String.join("\n", mismatches));
    }

    private void script() throws Exception {
        // kafka-topics
        same("topics create", TOPICS, "--bootstrap-server", BOOTSTRAP, "--create", "--topic", "cmp-a",
                "--partitions", "2", "--replication-factor", "1");
        same("topics create existing", TOPICS, "--bootstrap-server", BOOTSTRAP, "--create", "--topic", "cmp-a",
                "--partitions", "2", "--replication-factor", "1");
        same("topics create single", TOPICS, "--bootstrap-server", BOOTSTRAP, "--create", "--topic", "cmp-v",
                "--partitions", "1", "--replication-factor", "1");
        same("topics list", TOPICS, "--bootstrap-server", BOOTSTRAP, "--list");
        same("topics describe", TOPICS, "--bootstrap-server", BOOTSTRAP, "--describe", "--topic", "cmp-a");
        same("topics alter partitions", TOPICS, "--bootstrap-server", BOOTSTRAP, "--alter", "--topic", "cmp-a",
                "--partitions", "3");
        same("topics alter partitions down", TOPICS, "--bootstrap-server", BOOTSTRAP, "--alter", "--topic", "cmp-a",
                "--partitions", "2");
        same("topics describe after alter", TOPICS, "--bootstrap-server", BOOTSTRAP, "--describe", "--topic", "cmp-a");

        // kafka-configs
        same("configs topic alter", CONFIGS, "--bootstrap-server", BOOTSTRAP, "--entity-type", "topics",
                "--entity-name", "cmp-a", "--alter", "--add-config", "retention.ms=86400000,cleanup.policy=delete");
        same("configs topic describe", CONFIGS, "--bootstrap-server", BOOTSTRAP, "--entity-type", "topics",
                "--entity-name", "cmp-a", "--describe");
        same("configs topic delete-config", CONFIGS, "--bootstrap-server", BOOTSTRAP, "--entity-type", "topics",
                "--entity-name", "cmp-a", "--alter", "--delete-config", "cleanup.policy");
        same("topics describe with config", TOPICS, "--bootstrap-server", BOOTSTRAP, "--describe", "--topic", "cmp-a");
        same("configs broker describe", CONFIGS, "--bootstrap-server", BOOTSTRAP, "--entity-type", "brokers",
                "--entity-name", BROKER_ID, "--describe");
        same("configs broker alter", CONFIGS, "--bootstrap-server", BOOTSTRAP, "--entity-type", "brokers",
                "--entity-name", BROKER_ID, "--alter", "--add-config", "log.cleaner.threads=2");
        same("configs broker describe after alter", CONFIGS, "--bootstrap-server", BOOTSTRAP, "--entity-type", "brokers",
                "--entity-name", BROKER_ID, "--describe");
        same("configs broker default alter", CONFIGS, "--bootstrap-server", BOOTSTRAP, "--entity-type", "brokers",
                "--entity-default", "--alter", "--add-config", "log.retention.ms=604800000");
        same("configs broker default describe", CONFIGS, "--bootstrap-server", BOOTSTRAP, "--entity-type", "brokers",
                "--entity-default", "--describe");
        same("configs broker default delete", CONFIGS, "--bootstrap-server", BOOTSTRAP, "--entity-type", "brokers",
                "--entity-default", "--alter", "--delete-config", "log.retention.ms");

        // kafka-console-producer and -consumer: keyed records, so both place them by the same murmur2 hash.
        Path input = Files.writeString(workDir.resolve("records.txt"),
                "k1:one\nk2:two\nk3:three\nk4:four\nk5:five\nk6:six\n");
        sameWithInput("console producer", input, PRODUCER, "--bootstrap-server", BOOTSTRAP, "--topic", "cmp-a",
                "--property", "parse.key=true", "--property", "key.separator=:");
        same("console consumer", sortLines(), CONSUMER, "--bootstrap-server", BOOTSTRAP, "--topic", "cmp-a",
                "--group", "cmp-g", "--from-beginning", "--max-messages", "6", "--timeout-ms", "30000",
                "--property", "print.key=true", "--property", "print.partition=true", "--property", "print.offset=true");

        // kafka-get-offsets
        same("get-offsets latest", GET_OFFSETS, "--bootstrap-server", BOOTSTRAP, "--topic", "cmp-a", "--time", "-1");
        same("get-offsets earliest", GET_OFFSETS, "--bootstrap-server", BOOTSTRAP, "--topic", "cmp-a", "--time", "-2");
        same("get-offsets max timestamp", GET_OFFSETS, "--bootstrap-server", BOOTSTRAP, "--topic", "cmp-a",
                "--time", "-3");

        // kafka-consumer-groups
        same("groups list", GROUPS, "--bootstrap-server", BOOTSTRAP, "--list");
        same("groups list state", GROUPS, "--bootstrap-server", BOOTSTRAP, "--list", "--state");
        same("groups describe", GROUPS, "--bootstrap-server", BOOTSTRAP, "--describe", "--group", "cmp-g");
        same("groups describe state", GROUPS, "--bootstrap-server", BOOTSTRAP, "--describe", "--group", "cmp-g",
                "--state");
        same("groups describe unknown", GROUPS, "--bootstrap-server", BOOTSTRAP, "--describe", "--group", "cmp-none");
        same("groups reset dry-run", GROUPS, "--bootstrap-server", BOOTSTRAP, "--reset-offsets", "--group", "cmp-g",
                "--topic", "cmp-a", "--to-earliest", "--dry-run");
        same("groups reset execute", GROUPS, "--bootstrap-server", BOOTSTRAP, "--reset-offsets", "--group", "cmp-g",
                "--topic", "cmp-a:0", "--to-offset", "1", "--execute");
        same("groups describe after reset", GROUPS, "--bootstrap-server", BOOTSTRAP, "--describe", "--group", "cmp-g");
        same("groups delete-offsets", GROUPS, "--bootstrap-server", BOOTSTRAP, "--delete-offsets", "--group", "cmp-g",
                "--topic", "cmp-a:1");
        same("groups delete", GROUPS, "--bootstrap-server", BOOTSTRAP, "--delete", "--group", "cmp-g");
        same("groups list after delete", GROUPS, "--bootstrap-server", BOOTSTRAP, "--list");

        // kafka-delete-records: -1 deletes up to the high watermark.
        Path offsets = Files.writeString(workDir.resolve("delete-records.json"),
                "{\"partitions\":[{\"topic\":\"cmp-a\",\"partition\":0,\"offset\":-1}],\"version\":1}");
        same("delete-records", DELETE_RECORDS, "--bootstrap-server", BOOTSTRAP, "--offset-json-file", offsets.toString());
        same("get-offsets earliest after delete", GET_OFFSETS, "--bootstrap-server", BOOTSTRAP, "--topic", "cmp-a",
                "--time", "-2");

        // kafka-log-dirs
        same("log-dirs", LOG_DIRS, "--bootstrap-server", BOOTSTRAP, "--describe", "--topic-list", "cmp-a");

        // kafka-transactions
        same("transactions list", TRANSACTIONS, "--bootstrap-server", BOOTSTRAP, "list");
        same("transactions find-hanging", TRANSACTIONS, "--bootstrap-server", BOOTSTRAP, "find-hanging",
                "--broker-id", BROKER_ID);

        // kafka-features
        same("features describe", FEATURES, "--bootstrap-server", BOOTSTRAP, "describe");

        // kafka-leader-election: one node leads every partition already.
        same("leader-election preferred", sortLines(), LEADER_ELECTION, "--bootstrap-server", BOOTSTRAP,
                "--election-type", "preferred", "--topic", "cmp-a", "--partition", "0");

        // kafka-verifiable-producer and -consumer (one partition, so the sticky partitioner cannot differ).
        same("verifiable producer", VERIFIABLE_PRODUCER, "--bootstrap-server", BOOTSTRAP, "--topic", "cmp-v",
                "--max-messages", "5", "--acks", "-1");
        same("verifiable consumer", VERIFIABLE_CONSUMER, "--bootstrap-server", BOOTSTRAP, "--topic", "cmp-v",
                "--group-id", "cmp-vg", "--max-messages", "5", "--reset-policy", "earliest");

        // kafka-acls
        same("acls list", ACLS, "--bootstrap-server", BOOTSTRAP, "--list");

        // kafka-broker-api-versions: compared loosely (see apiVersions).
        apiVersions();

        // kafka-topics delete
        same("topics delete", TOPICS, "--bootstrap-server", BOOTSTRAP, "--delete", "--topic", "cmp-a");
        same("topics list after delete", TOPICS, "--bootstrap-server", BOOTSTRAP, "--list");
    }

    /**
     * kafka-broker-api-versions prints every API with the version range each side supports: Hearth advertises what it
     * implements, not Kafka's full range, so only the set of API names the tool finds usable is compared; the version
     * ranges are in the report.
     */
    private void apiVersions() throws Exception {
        Outcome[] outcomes = both("broker-api-versions", null, API_VERSIONS, "--bootstrap-server", BOOTSTRAP);
        Set<String> kafkaApis = usableApis(outcomes[1].stdout);
        Set<String> hearthApis = usableApis(outcomes[0].stdout);
        if (outcomes[0].exitCode != outcomes[1].exitCode || hearthApis.isEmpty()) {
            mismatches.add("broker-api-versions: exit " + outcomes[0].exitCode + " vs " + outcomes[1].exitCode);
            return;
        }
        Set<String> missing = new TreeSet<>(kafkaApis);
        missing.removeAll(hearthApis);
        Set<String> extra = new TreeSet<>(hearthApis);
        extra.removeAll(kafkaApis);
        report.append("broker-api-versions: usable on Kafka, not on Hearth: ").append(missing)
                .append("; usable on Hearth, not on Kafka: ").append(extra).append("\n\n");
        if (!missing.isEmpty() || !extra.isEmpty()) {
            mismatches.add("broker-api-versions: usable on Kafka only " + missing + "; on Hearth only " + extra);
        }
    }

    private static Set<String> usableApis(String output) {
        Set<String> apis = new TreeSet<>();
        Matcher matcher = Pattern.compile("(?m)^\\s+(\\w+)\\(\\d+\\): (.*)$").matcher(output);
        while (matcher.find()) {
            if (!matcher.group(2).startsWith("UNSUPPORTED")) {
                apis.add(matcher.group(1));
            }
        }
        return apis;
    }

    // ------------------------------------------------------------------------------------------------ steps

    private void same(String step, String mainClass, String... args) throws Exception {
        same(step, UnaryOperator.identity(), mainClass, args);
    }

    /** {@code extra} normalizes further where the order of lines is not the tools' to keep (several partitions). */
    private void same(String step, UnaryOperator<String> extra, String mainClass, String... args) throws Exception {
        compare(step, null, extra, mainClass, args);
    }

    private void sameWithInput(String step, Path input, String mainClass, String... args) throws Exception {
        compare(step, input, UnaryOperator.identity(), mainClass, args);
    }

    private void compare(String step, Path input, UnaryOperator<String> extra, String mainClass, String... args)
            throws Exception {
        Outcome[] outcomes = both(step, input, mainClass, args);
        String hearthText = extra.apply(hearth.normalize(outcomes[0].stdout));
        String kafkaText = extra.apply(kafka.normalize(outcomes[1].stdout));
        if (outcomes[0].exitCode != outcomes[1].exitCode || !hearthText.equals(kafkaText)) {
            mismatches.add(step + ": exit " + outcomes[0].exitCode + " (Hearth) vs " + outcomes[1].exitCode
                    + " (Kafka)\n  Hearth: " + hearthText.replace("\n", "\n          ")
                    + "\n  Kafka:  " + kafkaText.replace("\n", "\n          "));
        }
    }

    /** Runs a step on Hearth and on Kafka at once: [Hearth's outcome, Kafka's], each also written to the report. */
    private Outcome[] both(String step, Path input, String mainClass, String... args) throws Exception {
        CompletableFuture<Outcome> onKafka = CompletableFuture.supplyAsync(() -> kafka.run(input, mainClass, args));
        Outcome onHearth = hearth.run(input, mainClass, args);
        Outcome kafkaOutcome = onKafka.get(3, TimeUnit.MINUTES);
        report.append("### ").append(step).append(": ").append(mainClass).append(' ').append(String.join(" ", args))
                .append("\n--- Hearth (exit ").append(onHearth.exitCode).append(")\n").append(onHearth.stdout)
                .append(onHearth.stderr).append("--- Kafka (exit ").append(kafkaOutcome.exitCode).append(")\n")
                .append(kafkaOutcome.stdout).append(kafkaOutcome.stderr).append('\n');
        return new Outcome[] {onHearth, kafkaOutcome};
    }

    /** Lines in sorted order: a tool that prints one line per record or partition as they come. */
    private static UnaryOperator<String> sortLines() {
        return text -> String.join("\n", text.lines().sorted().toList());
    }

    /** What one tool invocation ended with. Standard error holds the tools' java.util.logging lines: report only. */
    private record Outcome(int exitCode, String stdout, String stderr) {
    }

    /** One broker under test: where it listens and which node id it has. */
    private final class Target {
        private final String name;
        private final String bootstrap;
        private final int brokerId;

        Target(String name, String bootstrap, int brokerId) {
            this.name = name;
            this.bootstrap = bootstrap;
            this.brokerId = brokerId;
        }

        Outcome run(Path input, String mainClass, String... args) {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("kafka.cli.lib") + "/*",
                    mainClass));
            for (String arg : args) {
                command.add(arg.replace(BOOTSTRAP, bootstrap).replace(BROKER_ID, Integer.toString(brokerId)));
            }
            try {
                Path stdout = Files.createTempFile(workDir, name, ".out");
                Path stderr = Files.createTempFile(workDir, name, ".err");
                ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile())
                        .redirectError(stderr.toFile());
                if (input != null) {
                    builder.redirectInput(input.toFile());
                }
                Process process = builder.start();
                if (!process.waitFor(2, TimeUnit.MINUTES)) {
                    process.destroyForcibly().waitFor();
                    return new Outcome(-1, Files.readString(stdout), "TIMED OUT after 2 minutes\n" + Files.readString(stderr));
                }
                return new Outcome(process.exitValue(), Files.readString(stdout), Files.readString(stderr));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /**
         * The rules, each for a value that is this broker's own and not a behaviour: anything else must match as
         * printed.
         */
        String normalize(String output) {
            String text = output;
            // Each broker listens on its own free port.
            text = text.replace(bootstrap, "<bootstrap>");
            // Topic ids are random per creation.
            text = text.replaceAll("TopicId: [A-Za-z0-9_-]{22}", "TopicId: <id>");
            // Node ids: Hearth is node 0, the test cluster's only node is 1. Only where the tools print a node id.
            String id = Integer.toString(brokerId);
            text = text.replaceAll("(Leader|Replicas|Isr): " + id + "\\b", "$1: <node>")
                    .replaceAll("\"broker\":" + id + "\\b", "\"broker\":<node>")
                    .replaceAll("for broker " + id + "\\b", "for broker <node>")
                    .replaceAll("\\(id: " + id + " ", "(id: <node> ");
            // kafka-log-dirs: the data directory's path and the bytes on disk are each broker's own (segment and
            // index layout differ); the partitions and offset lag must match.
            text = text.replaceAll("\"logDir\":\"[^\"]*\"", "\"logDir\":<dir>")
                    .replaceAll("\"size\":\\d+", "\"size\":<bytes>");
            // Wall-clock times (verifiable producer and consumer events, their throughput).
            text = text.replaceAll("\"(timestamp|time_ms|avg_throughput|avg_record_size|avg_lag)\":[0-9.E-]+",
                    "\"$1\":<n>");
            // Consumer ids and client ids are generated per process (console consumer, verifiable consumer).
            text = text.replaceAll("[\\w.-]+-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<member>");
            // Column widths follow the widest value (ids above): compare the cells, not the padding.
            text = text.lines().map(line -> line.strip().replaceAll("[ \\t]+", " "))
                    .collect(java.util.stream.Collectors.joining("\n"));
            return text;
        }
    }
}
