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

import org.junit.jupiter.api.Tag;
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
 * <p>Runs with the Kafka-ecosystem integrations ({@code @Tag("integration")}, in the {@code faults} profile that
 * {@code .ci/run} runs): with its own Kafka node it takes about four minutes, too long for the normal run.
 *
 * <p>Not thread-safe: one test method; the two invocations of a step run concurrently, steps run in order.
 */
@Tag("integration")
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
        expect("topics list", HEARTH_INTERNAL_TOPICS, TOPICS, "--bootstrap-server", BOOTSTRAP, "--list");
        same("topics list exclude-internal", TOPICS, "--bootstrap-server", BOOTSTRAP, "--list", "--exclude-internal");
        expect("topics describe", NO_ELR, TOPICS, "--bootstrap-server", BOOTSTRAP, "--describe", "--topic", "cmp-a");
        same("topics alter partitions", TOPICS, "--bootstrap-server", BOOTSTRAP, "--alter", "--topic", "cmp-a",
                "--partitions", "3");
        same("topics alter partitions down", TOPICS, "--bootstrap-server", BOOTSTRAP, "--alter", "--topic", "cmp-a",
                "--partitions", "2");
        expect("topics describe after alter", NO_ELR, TOPICS, "--bootstrap-server", BOOTSTRAP, "--describe", "--topic", "cmp-a");

        // kafka-configs
        same("configs topic alter", CONFIGS, "--bootstrap-server", BOOTSTRAP, "--entity-type", "topics",
                "--entity-name", "cmp-a", "--alter", "--add-config", "retention.ms=86400000,cleanup.policy=delete");
        same("configs topic describe", CONFIGS, "--bootstrap-server", BOOTSTRAP, "--entity-type", "topics",
                "--entity-name", "cmp-a", "--describe");
        same("configs topic delete-config", CONFIGS, "--bootstrap-server", BOOTSTRAP, "--entity-type", "topics",
                "--entity-name", "cmp-a", "--alter", "--delete-config", "cleanup.policy");
        expect("topics describe with config", NO_ELR, TOPICS, "--bootstrap-server", BOOTSTRAP, "--describe", "--topic", "cmp-a");
        same("configs broker describe", CONFIGS, "--bootstrap-server", BOOTSTRAP, "--entity-type", "brokers",
                "--entity-name", BROKER_ID, "--describe");
        expect("configs broker alter", NO_BROKER_ALTER, CONFIGS, "--bootstrap-server", BOOTSTRAP, "--entity-type", "brokers",
                "--entity-name", BROKER_ID, "--alter", "--add-config", "log.cleaner.threads=2");
        expect("configs broker describe after alter", NO_BROKER_CONFIGS, CONFIGS, "--bootstrap-server", BOOTSTRAP, "--entity-type", "brokers",
                "--entity-name", BROKER_ID, "--describe");
        expect("configs broker default alter", NO_BROKER_ALTER, CONFIGS, "--bootstrap-server", BOOTSTRAP, "--entity-type", "brokers",
                "--entity-default", "--alter", "--add-config", "log.retention.ms=604800000");
        expect("configs broker default describe", NO_BROKER_CONFIGS, CONFIGS, "--bootstrap-server", BOOTSTRAP, "--entity-type", "brokers",
                "--entity-default", "--describe");
        expect("configs broker default delete", NO_BROKER_ALTER, CONFIGS, "--bootstrap-server", BOOTSTRAP, "--entity-type", "brokers",
                "--entity-default", "--alter", "--delete-config", "log.retention.ms");

        // kafka-console-producer and -consumer: keyed records, so both place them by the same murmur2 hash.
        Path input = Files.writeString(workDir.resolve("records.txt"),
                "k1:one\nk2:two\nk3:three\nk4:four\nk5:five\nk6:six\n");
        sameWithInput("console producer", input, PRODUCER, "--bootstrap-server", BOOTSTRAP, "--topic", "cmp-a",
                "--property", "parse.key=true", "--property", "key.separator=:");
        Outcome[] consumed = compare("console consumer", null, sortLines(), null, CONSUMER, "--bootstrap-server",
                BOOTSTRAP, "--topic", "cmp-a",
                "--group", "cmp-g", "--from-beginning", "--max-messages", "6", "--timeout-ms", "30000",
                "--property", "print.key=true", "--property", "print.partition=true", "--property", "print.offset=true",
                "--property", "print.timestamp=true");

        // kafka-get-offsets
        same("get-offsets latest", GET_OFFSETS, "--bootstrap-server", BOOTSTRAP, "--topic", "cmp-a", "--time", "-1");
        same("get-offsets earliest", GET_OFFSETS, "--bootstrap-server", BOOTSTRAP, "--topic", "cmp-a", "--time", "-2");
        maxTimestampOffsets(consumed);

        // kafka-consumer-groups
        same("groups list", GROUPS, "--bootstrap-server", BOOTSTRAP, "--list");
        same("groups list state", GROUPS, "--bootstrap-server", BOOTSTRAP, "--list", "--state");
        same("groups describe", GROUPS, "--bootstrap-server", BOOTSTRAP, "--describe", "--group", "cmp-g");
        same("groups describe state", GROUPS, "--bootstrap-server", BOOTSTRAP, "--describe", "--group", "cmp-g",
                "--state");
        expect("groups describe unknown", NO_CONSUMER_GROUP_DESCRIBE, GROUPS, "--bootstrap-server", BOOTSTRAP, "--describe", "--group", "cmp-none");
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
        expect("transactions list", HEARTH_XA_TRANSACTIONS, TRANSACTIONS, "--bootstrap-server", BOOTSTRAP, "list");
        same("transactions find-hanging", TRANSACTIONS, "--bootstrap-server", BOOTSTRAP, "find-hanging",
                "--broker-id", BROKER_ID);

        // kafka-features
        expect("features describe", FEATURE_LEVELS, FEATURES, "--bootstrap-server", BOOTSTRAP, "describe");

        // kafka-leader-election: one node leads every partition already.
        same("leader-election preferred", LEADER_ELECTION, "--bootstrap-server", BOOTSTRAP,
                "--election-type", "preferred", "--topic", "cmp-a", "--partition", "0");
        same("leader-election unclean all", LEADER_ELECTION, "--bootstrap-server", BOOTSTRAP,
                "--election-type", "unclean", "--all-topic-partitions");
        same("leader-election unknown", LEADER_ELECTION, "--bootstrap-server", BOOTSTRAP,
                "--election-type", "preferred", "--topic", "cmp-none", "--partition", "0");

        // kafka-verifiable-producer and -consumer (one partition, so the sticky partitioner cannot differ).
        same("verifiable producer", VERIFIABLE_PRODUCER, "--bootstrap-server", BOOTSTRAP, "--topic", "cmp-v",
                "--max-messages", "5", "--acks", "-1");
        same("verifiable consumer", VERIFIABLE_CONSUMER, "--bootstrap-server", BOOTSTRAP, "--topic", "cmp-v",
                "--group-id", "cmp-vg", "--max-messages", "5", "--reset-policy", "earliest");

        // kafka-acls
        expect("acls list", AUTHORIZER_ONLY_ON_HEARTH, ACLS, "--bootstrap-server", BOOTSTRAP, "--list");

        // kafka-broker-api-versions: compared loosely (see apiVersions).
        apiVersions();

        // kafka-topics delete
        same("topics delete", TOPICS, "--bootstrap-server", BOOTSTRAP, "--delete", "--topic", "cmp-a");
        expect("topics list after delete", HEARTH_INTERNAL_TOPICS, TOPICS, "--bootstrap-server", BOOTSTRAP, "--list");
    }

    /**
     * kafka-broker-api-versions prints every API with the version range each side supports: Hearth advertises what it
     * implements, not Kafka's full range, so only the set of API names the tool finds usable is compared, against the
     * documented set Hearth lacks; the version ranges are in the report.
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
        if (!missing.equals(NOT_ON_HEARTH) || !extra.isEmpty()) {
            mismatches.add("broker-api-versions: usable on Kafka only " + missing + " (documented: " + NOT_ON_HEARTH
                    + "); on Hearth only " + extra);
        }
    }

    /**
     * The APIs a one-node Kafka 4.3 serves that Hearth does not, as of this test: KRaft's own (voters, quorum,
     * features, broker registration), replica movement, delegation tokens, client quotas, KIP-848 consumer groups,
     * share and streams groups, DescribeTopicPartitions, OffsetForLeaderEpoch and ListConfigResources.
     * A change to this set is a change in what Hearth serves: update it with the change.
     */
    private static final Set<String> NOT_ON_HEARTH = new TreeSet<>(List.of("AddRaftVoter", "AlterClientQuotas",
            "AlterPartitionReassignments", "AlterReplicaLogDirs", "AlterShareGroupOffsets", "ConsumerGroupDescribe",
            "ConsumerGroupHeartbeat", "CreateDelegationToken", "DeleteShareGroupOffsets", "DeleteShareGroupState",
            "DescribeDelegationToken", "DescribeQuorum", "DescribeShareGroupOffsets", "DescribeTopicPartitions",
            "ExpireDelegationToken", "InitializeShareGroupState", "ListConfigResources",
            "ListPartitionReassignments", "OffsetForLeaderEpoch", "ReadShareGroupState", "ReadShareGroupStateSummary",
            "RemoveRaftVoter", "RenewDelegationToken", "ShareAcknowledge", "ShareFetch", "ShareGroupDescribe",
            "ShareGroupHeartbeat", "StreamsGroupDescribe", "StreamsGroupHeartbeat", "UnregisterBroker", "UpdateFeatures",
            "WriteShareGroupState"));

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
        compare(step, null, UnaryOperator.identity(), null, mainClass, args);
    }

    private void sameWithInput(String step, Path input, String mainClass, String... args) throws Exception {
        compare(step, input, UnaryOperator.identity(), null, mainClass, args);
    }

    /** A step where Hearth answers differently from Kafka in the one documented way {@code difference} states. */
    private void expect(String step, Difference difference, String mainClass, String... args) throws Exception {
        compare(step, null, UnaryOperator.identity(), difference, mainClass, args);
    }

    /**
     * Runs a step on both and records a mismatch unless Hearth's exit code and normalized output equal Kafka's, or,
     * with a {@code difference}, what that difference makes of Kafka's.
     *
     * @param extra normalizes both further where the order of lines is not the tool's to keep (several partitions)
     */
    private Outcome[] compare(String step, Path input, UnaryOperator<String> extra, Difference difference,
            String mainClass, String... args) throws Exception {
        Outcome[] outcomes = both(step, input, mainClass, args);
        String hearthText = extra.apply(hearth.normalize(outcomes[0].stdout));
        String kafkaText = extra.apply(kafka.normalize(outcomes[1].stdout));
        int expectedExit = outcomes[1].exitCode;
        String expectedText = kafkaText;
        String why = "";
        if (difference != null) {
            expectedExit = difference.hearthExitCode == null ? expectedExit : difference.hearthExitCode;
            expectedText = difference.ofKafka.apply(kafkaText);
            hearthText = difference.ofHearth.apply(hearthText);
            why = " [documented difference: " + difference.why + "]";
        }
        if (outcomes[0].exitCode != expectedExit || !hearthText.equals(expectedText)) {
            mismatches.add(step + why + ": exit " + outcomes[0].exitCode + " (Hearth) vs " + expectedExit
                    + " (expected; Kafka's " + outcomes[1].exitCode + ")\n  Hearth:   "
                    + hearthText.replace("\n", "\n            ") + "\n  expected: "
                    + expectedText.replace("\n", "\n            "));
        }
        return outcomes;
    }

    /**
     * kafka-get-offsets --time -3: the offset of the first record with the partition's largest timestamp. The
     * console producer stamps records with the wall clock, so each broker's answer is checked against the timestamps
     * the console consumer read from that broker (outcomes [Hearth, Kafka]), and the exit codes against each other.
     */
    private void maxTimestampOffsets(Outcome[] consumed) throws Exception {
        Outcome[] outcomes = both("get-offsets max timestamp", null, GET_OFFSETS, "--bootstrap-server", BOOTSTRAP,
                "--topic", "cmp-a", "--time", "-3");
        for (int i = 0; i < 2; i++) {
            String expected = String.join("\n", firstOffsetsOfMaxTimestamp(consumed[i].stdout));
            String actual = String.join("\n", outcomes[i].stdout.lines().filter(line -> line.startsWith("cmp-a:"))
                    .sorted().toList());
            if (outcomes[i].exitCode != 0 || !actual.equals(expected)) {
                mismatches.add("get-offsets max timestamp on " + (i == 0 ? "Hearth" : "Kafka") + ": exit "
                        + outcomes[i].exitCode + ", " + actual + " instead of " + expected);
            }
        }
    }

    /** {@code topic:partition:offset} of the first record with the largest timestamp of each partition, sorted. */
    private static List<String> firstOffsetsOfMaxTimestamp(String consoleConsumerOutput) {
        java.util.Map<Integer, long[]> best = new java.util.TreeMap<>();
        Matcher matcher = Pattern.compile("(?m)^CreateTime:(\\d+)\\tPartition:(\\d+)\\tOffset:(\\d+)\\t")
                .matcher(consoleConsumerOutput);
        while (matcher.find()) {
            long timestamp = Long.parseLong(matcher.group(1));
            long offset = Long.parseLong(matcher.group(3));
            best.merge(Integer.parseInt(matcher.group(2)), new long[] {timestamp, offset}, (a, b) ->
                    b[0] > a[0] || (b[0] == a[0] && b[1] < a[1]) ? b : a);
        }
        return best.entrySet().stream().map(entry -> "cmp-a:" + entry.getKey() + ":" + entry.getValue()[1]).toList();
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

    /**
     * How Hearth's answer to a step differs from Kafka's, for a stated reason: Hearth's exit code ({@code null}: the
     * same as Kafka's), what becomes of Kafka's normalized output, and what is left out of Hearth's before comparing.
     */
    private record Difference(Integer hearthExitCode, UnaryOperator<String> ofKafka, UnaryOperator<String> ofHearth,
                              String why) {

        static Difference ofKafka(String why, UnaryOperator<String> ofKafka) {
            return new Difference(null, ofKafka, UnaryOperator.identity(), why);
        }
    }

    /**
     * Kafka creates __consumer_offsets with the first group and __transaction_state with the first transaction; Hearth
     * has both from its start, and its own __hearth_audit (the audit trail) and __hearth_xa (its XA transaction log).
     */
    private static final Difference HEARTH_INTERNAL_TOPICS = Difference.ofKafka("Hearth's internal topics exist from"
            + " its start", kafka -> String.join("\n", new TreeSet<>(java.util.stream.Stream.concat(kafka.lines(),
                    java.util.stream.Stream.of("__consumer_offsets", "__hearth_audit", "__hearth_xa",
                            "__transaction_state")).toList())));

    /**
     * Hearth does not implement DescribeTopicPartitions (KIP-966's eligible leader replicas), so kafka-topics falls
     * back to Metadata and prints N/A for the ELR columns, where Kafka prints empty lists.
     */
    private static final Difference NO_ELR = Difference.ofKafka("no DescribeTopicPartitions: ELR columns are N/A",
            kafka -> kafka.replace("Elr: LastKnownElr:", "Elr: N/A LastKnownElr: N/A"));

    /**
     * Hearth's broker settings are MicroProfile Config, read at start: IncrementalAlterConfigs on a BROKER resource
     * fails with INVALID_CONFIG ("Hearth alters topic configs only"), which kafka-configs reports on standard error.
     */
    private static final Difference NO_BROKER_ALTER = new Difference(1, kafka -> "", UnaryOperator.identity(),
            "broker configs are not dynamic on Hearth");

    /** What follows from NO_BROKER_ALTER: no dynamic broker config to describe, only the heading. */
    private static final Difference NO_BROKER_CONFIGS = Difference.ofKafka("no dynamic broker configs",
            kafka -> kafka.lines().findFirst().orElse(""));

    /**
     * kafka-consumer-groups asks ConsumerGroupDescribe (KIP-848) first: Kafka answers GROUP_ID_NOT_FOUND for an
     * unknown group; Hearth has no KIP-848 groups, the admin client falls back to DescribeGroups, which answers the
     * group as Dead, and the tool prints its own message. Both exit 0.
     */
    private static final Difference NO_CONSUMER_GROUP_DESCRIBE = Difference.ofKafka("no ConsumerGroupDescribe",
            kafka -> kafka.replace("Error: Executing consumer group command failed due to org.apache.kafka.common"
                    + ".errors.GroupIdNotFoundException: Group cmp-none not found.",
                    "Error: Consumer group 'cmp-none' does not exist."));

    /**
     * Hearth's own XA transactions (the deployed web application's, through its transaction log) use transactional
     * ids {@code xa:<xid>}, and kafka-transactions lists them too; the comparison leaves them out.
     */
    private static final Difference HEARTH_XA_TRANSACTIONS = new Difference(null, UnaryOperator.identity(),
            hearth -> String.join("\n", hearth.lines().filter(line -> !line.startsWith("xa:")).toList()),
            "Hearth lists its own xa: transactional ids");

    /**
     * Hearth implements group.version, transaction.version and the other features at level 0 only (classic groups,
     * transactions v1, no share or streams groups, no ELR); metadata.version is Kafka's. The epoch is the offset of
     * KRaft's metadata log where Kafka finalized them; Hearth has no metadata log and answers 1.
     */
    private static final Difference FEATURE_LEVELS = Difference.ofKafka("features finalized at level 0", kafka ->
            kafka.lines().map(line -> (line.startsWith("Feature: metadata.version") ? line
                    : line.replaceAll("SupportedMaxVersion: \\d+ FinalizedVersionLevel: \\d+",
                            "SupportedMaxVersion: 0 FinalizedVersionLevel: 0")).replaceAll("Epoch: \\d+", "Epoch: 1"))
                    .collect(java.util.stream.Collectors.joining("\n")));

    /**
     * The test's Kafka node runs without an authorizer, so DescribeAcls fails there with SecurityDisabledException
     * (exit 1); Hearth always authorizes and lists the test's producer user's ACLs (HearthServer's test users).
     */
    private static final Difference AUTHORIZER_ONLY_ON_HEARTH = new Difference(0,
            kafka -> kafka.contains("SecurityDisabledException: No Authorizer is configured on the broker")
                    ? "acls of test-producer" : "Kafka did not fail with SecurityDisabledException: " + kafka,
            hearth -> hearth.contains("(principal=User:test-producer, host=*, operation=WRITE, permissionType=ALLOW)")
                    ? "acls of test-producer" : hearth, "no authorizer on the test's Kafka node");

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
                    .replaceAll("\\(id: " + id + " ", "(id: <node> ")
                    .replaceAll("<bootstrap>(\\s+)\\(" + id + "\\)", "<bootstrap>$1(<node>)")
                    .replaceAll("from brokers " + id + "\\b", "from brokers <node>");
            // Record timestamps of the console consumer: the wall clock at production (kafka-get-offsets -3 checks
            // them per broker).
            text = text.replaceAll("CreateTime:\\d+", "CreateTime:<ts>");
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
            // The test cluster's static broker settings (KafkaCluster: 1 MiB segments, min.insync.replicas=1 for a
            // single node) are not Kafka's defaults, so Kafka lists them among a topic's configs; Hearth runs on its
            // defaults. Only Kafka's output carries them.
            text = text.replace("Configs: min.insync.replicas=1,segment.bytes=1048576,", "Configs: ")
                    .replace("Configs: min.insync.replicas=1,segment.bytes=1048576", "Configs:")
                    .replaceAll("(?m)^min\\.insync\\.replicas=1 sensitive=false synonyms=\\{DYNAMIC_DEFAULT_BROKER_CONFIG:"
                            + "min\\.insync\\.replicas=1}\\n?", "");
            return text;
        }
    }
}
