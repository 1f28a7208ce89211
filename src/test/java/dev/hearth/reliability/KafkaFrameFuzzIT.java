package dev.hearth.reliability;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.hearth.platform.HearthServer;
import dev.hearth.reliability.FrameMutator.Mutant;
import dev.hearth.reliability.FrameMutator.Mutation;
import dev.hearth.reliability.KafkaSeedFrames.Seed;
import dev.hearth.reliability.KafkaSeedFrames.Verdict;

/**
 * A Kafka frame fuzzer (issue 13): at least {@value #DEFAULT_FRAMES} mutated frames, built from real client requests
 * ({@link KafkaSeedFrames}) by {@link FrameMutator} (bit flips, truncation, lying lengths, huge counts, unknown keys
 * and versions, record batches with a valid CRC over bad fields), sent over many short connections while a
 * well-behaved client produces (acks=all) and consumes its own topic throughout. Passes when
 * <ul>
 *   <li>the server never stops serving the well-behaved client: no send and no consumer catch-up takes over
 *       {@value #STALL_SECONDS} s, and every acknowledged record is consumed once, in order;</li>
 *   <li>heap in use after a full GC stays under {@value #HEAP_GROWTH_MIB} MiB above its idle figure (sampled during
 *       and after the fuzzing);</li>
 *   <li>the server's log grows by less than 1 MiB per 100,000 bad frames;</li>
 *   <li>no topic, partition or directory appears that a malformed frame could have created: each new directory
 *       belongs to a topic named in a frame the server's own parser accepts (a mutant can be a valid request for
 *       another topic, which Kafka's auto-creation then creates);</li>
 *   <li>every answer the fuzzer reads carries the correlation id of the request it answers, in order.</li>
 * </ul>
 *
 * <p>Reproducible: connection {@code n} sends the frames {@code new Random(seed, n)} makes (see {@link #random}); the
 * seed is printed ({@code -Dhearth.fuzz.seed}, default fixed). The fuzzer mirrors the server's framing and parser to
 * know where the server will stop reading a connection, so that every frame it counts reached the server's parser.
 * Other knobs: {@code hearth.fuzz.frames}, {@code hearth.fuzz.budget.seconds} (from the test's start, server start
 * included; default 330, so that the whole test stays within 6 minutes), {@code hearth.fuzz.connections}.
 */
@Tag("faults")
class KafkaFrameFuzzIT {

    private static final int DEFAULT_FRAMES = 200_000;
    private static final int STALL_SECONDS = 30;
    private static final int HEAP_GROWTH_MIB = 256;
    private static final long LOG_BYTES_PER_100K_FRAMES = 1 << 20;
    /** The server's default hearth.kafka.max.request.bytes (KafkaListenerConfig.defaults()). */
    private static final int MAX_REQUEST_BYTES = 100 * 1024 * 1024;
    /** At most this many mutants on one connection; most connections end sooner, at their first malformed frame. */
    private static final int MAX_FRAMES_PER_CONNECTION = 16;
    /** How long the fuzzer waits for an answer or for the server to close, per read. */
    private static final int READ_TIMEOUT_MS = 2_000;
    /** How long the fuzzer waits for the server to close a connection after a malformed frame. */
    private static final int CLOSE_TIMEOUT_MS = 15_000;
    private static final String WELL_BEHAVED_TOPIC = "reliable-stream";
    /** Kept referenced: the well-behaved clients' reconnection warnings would drown the test's output. */
    private static final java.util.logging.Logger KAFKA_CLIENT_LOGS = quiet("org.apache.kafka");

    /** How the server leaves a fuzz connection, as the mirrored framing predicts. */
    private enum Ending {
        /** every frame parsed: the connection stays open until the fuzzer resets it */
        OPEN,
        /** a frame the parser refuses, or a negative or over-limit length: the server must close */
        CLOSES,
        /** a length prefix promising more bytes than sent: the server waits */
        INCOMPLETE
    }

    /** What one fuzz connection sends and what it should get back. */
    private record Plan(byte[] bytes, int mutants, List<Integer> answeredCorrelationIds, Ending ending) {
    }

    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong framesSent = new AtomicLong();
    /** Mutants that end their connection: the server's parser or framing refuses them. */
    private final AtomicLong framesMalformed = new AtomicLong();
    /** Mutants whose length prefix promises more than was sent: the server waits until the fuzzer resets. */
    private final AtomicLong framesIncomplete = new AtomicLong();
    /** Mutants the server's parser accepts as requests (for another topic, partition or offset, say). */
    private final AtomicLong framesParsed = new AtomicLong();
    private final AtomicLong answers = new AtomicLong();
    private final AtomicLong closedAsPredicted = new AtomicLong();
    private final AtomicLong closedEarly = new AtomicLong();
    private final AtomicLong openAfterMalformed = new AtomicLong();
    private final AtomicLong unanswered = new AtomicLong();
    private final AtomicLong connectFailures = new AtomicLong();
    private final AtomicLong writeFailures = new AtomicLong();
    private final AtomicLong misansweredCorrelationIds = new AtomicLong();
    private final AtomicLongArray mutations = new AtomicLongArray(Mutation.values().length);
    /** Frames the server's parser accepts: the only ones entitled to create a topic. */
    private final ConcurrentLinkedQueue<byte[]> wellFormedFrames = new ConcurrentLinkedQueue<>();
    private final List<String> fuzzerFailures = Collections.synchronizedList(new ArrayList<>());

    @Test
    void malformedFramesNeitherStopTheServerNorLeaveTraces() throws Exception {
        long seed = Long.getLong("hearth.fuzz.seed", 20261206L);
        int target = Integer.getInteger("hearth.fuzz.frames", DEFAULT_FRAMES);
        long testStartNanos = System.nanoTime();
        Duration budget = Duration.ofSeconds(Long.getLong("hearth.fuzz.budget.seconds", 330));
        int workers = Integer.getInteger("hearth.fuzz.connections", 8);
        System.out.printf("KafkaFrameFuzzIT: seed %d (-Dhearth.fuzz.seed=%d reproduces the frames), target %,d frames, "
                + "budget %s, %d concurrent connections%n", seed, seed, target, budget, workers);
        try (HearthServer server = HearthServer.onFreshDataDir("frame-fuzz").start()) {
            Uuid seedTopicId = createTopics(server);
            KafkaSeedFrames seeds = new KafkaSeedFrames(seedTopicId);
            System.out.printf("KafkaFrameFuzzIT: %d seed frames: %s%n", seeds.seeds().size(), seeds.seeds());
            List<String> answeredSeeds = sendSeedsOnce(server, seeds);
            assertTrue(answeredSeeds.containsAll(List.of("API_VERSIONS", "METADATA", "PRODUCE", "FETCH")),
                    "unmutated seeds of the core APIs are answered (answered: " + answeredSeeds + ")");

            WellBehavedClient client = new WellBehavedClient(server);
            client.start();
            client.awaitConsumed(20, Duration.ofMinutes(1));

            long pid = server.pid();
            Set<String> directoriesBefore = directories(server.dataDir());
            long idleHeapBytes = ServerVitals.heapUsedAfterGcBytes(pid);
            long logBytesBefore = Files.size(server.logFile());
            System.out.printf("KafkaFrameFuzzIT: idle: heap after GC %d MiB, log %,d bytes, %d directories%n",
                    ServerVitals.mebibytes(idleHeapBytes), logBytesBefore, directoriesBefore.size());

            FrameMutator mutator = new FrameMutator(seeds.seeds(), MAX_REQUEST_BYTES);
            InetSocketAddress address = kafkaAddress(server);
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch finished = new CountDownLatch(workers);
            long startNanos = System.nanoTime();
            for (int i = 0; i < workers; i++) {
                Thread worker = new Thread(() -> {
                    try {
                        while (!stop.get() && framesSent.get() < target) {
                            exchange(address, plan(mutator, seed, connections.getAndIncrement()));
                        }
                    } catch (Throwable e) {
                        fuzzerFailures.add(e.toString());
                    } finally {
                        finished.countDown();
                    }
                }, "frame-fuzzer-" + i);
                worker.setDaemon(true);
                worker.start();
            }
            long peakHeapBytes = idleHeapBytes;
            // The budget counts from the test's start (a slow server start leaves less), but leaves the fuzzing at
            // least two minutes: at the ~1,400 frames/s seen on a busy 2-core machine, 200,000 take under three.
            long deadline = Math.max(testStartNanos + budget.toNanos(), startNanos + TimeUnit.MINUTES.toNanos(2));
            while (!finished.await(45, TimeUnit.SECONDS) && System.nanoTime() < deadline) {
                long heap = ServerVitals.heapUsedAfterGcBytes(pid);
                peakHeapBytes = Math.max(peakHeapBytes, heap);
                System.out.printf("KafkaFrameFuzzIT: %,d frames over %,d connections; heap after GC %d MiB; "
                                + "well-behaved client %,d acknowledged, %,d consumed%n", framesSent.get(),
                        connections.get(), ServerVitals.mebibytes(heap), client.acknowledged(), client.consumed());
                assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                        "the server process is alive; see " + server.logFile());
            }
            stop.set(true);
            assertTrue(finished.await(1, TimeUnit.MINUTES), "fuzz connections finish");
            double seconds = (System.nanoTime() - startNanos) / 1e9;

            client.stopAndVerify();
            long heapAfterBytes = ServerVitals.heapUsedAfterGcBytes(pid);
            peakHeapBytes = Math.max(peakHeapBytes, heapAfterBytes);
            long logGrowthBytes = Files.size(server.logFile()) - logBytesBefore;
            long logBytesPer100k = framesSent.get() == 0 ? 0 : logGrowthBytes * 100_000 / framesSent.get();
            Set<String> newDirectories = new TreeSet<>(directories(server.dataDir()));
            newDirectories.removeAll(directoriesBefore);
            Map<String, String> unexplained = unexplainedDirectories(newDirectories);

            System.out.printf("KafkaFrameFuzzIT: %,d mutated frames in %.0f s (%,.0f/s) over %,d connections: %,d malformed,"
                            + " %,d incomplete, %,d parsed as valid requests; %,d answers, %,d closes as predicted, %,d connections closed"
                            + " early, %,d left open after a malformed frame, %,d waits without answer (%d ms), %,d connects"
                            + " refused, %,d writes failed, %,d answers with a wrong correlation id%n", framesSent.get(),
                    seconds, framesSent.get() / seconds, connections.get(), framesMalformed.get(), framesIncomplete.get(),
                    framesParsed.get(),
                    answers.get(), closedAsPredicted.get(), closedEarly.get(), openAfterMalformed.get(),
                    unanswered.get(), READ_TIMEOUT_MS, connectFailures.get(), writeFailures.get(),
                    misansweredCorrelationIds.get());
            System.out.printf("KafkaFrameFuzzIT: mutations: %s%n", mutationCounts());
            System.out.printf("KafkaFrameFuzzIT: heap after GC: idle %d MiB, peak %d MiB, after %d MiB (growth limit %d MiB)%n",
                    ServerVitals.mebibytes(idleHeapBytes), ServerVitals.mebibytes(peakHeapBytes),
                    ServerVitals.mebibytes(heapAfterBytes), HEAP_GROWTH_MIB);
            System.out.printf("KafkaFrameFuzzIT: log grew %,d bytes = %,d bytes per 100,000 bad frames (limit %,d)%n",
                    logGrowthBytes, logBytesPer100k, LOG_BYTES_PER_100K_FRAMES);
            Map<String, Long> partitionsByNewTopic = newDirectories.stream().map(directory -> directory.split("/"))
                    .filter(parts -> parts.length == 3 && parts[0].equals("topics"))
                    .collect(Collectors.groupingBy(parts -> parts[1], TreeMap::new, Collectors.counting()));
            System.out.printf("KafkaFrameFuzzIT: %d new directories, %d of them unexplained: %s; partitions created by"
                            + " mutants that parse as valid requests (auto-creation, CreateTopics, CreatePartitions): %d in"
                            + " %d topics, the most %s%n", newDirectories.size(), unexplained.size(),
                    unexplained.keySet().stream().limit(20).toList(),
                    partitionsByNewTopic.values().stream().mapToLong(Long::longValue).sum(), partitionsByNewTopic.size(),
                    partitionsByNewTopic.entrySet().stream().max(Map.Entry.comparingByValue()).map(Object::toString)
                            .orElse("none"));
            System.out.printf("KafkaFrameFuzzIT: well-behaved client: %,d records acknowledged and consumed, longest send"
                    + " %d ms, longest consumer wait %d ms%n", client.acknowledged(), client.longestSendMillis(),
                    client.longestConsumerWaitMillis());
            ServerLog.printSummary("KafkaFrameFuzzIT", server.logFile(), logBytesBefore);

            long heapGrowthBytes = peakHeapBytes - idleHeapBytes;
            assertAll(
                    () -> assertTrue(fuzzerFailures.isEmpty(), "the fuzzer itself ran cleanly: " + fuzzerFailures),
                    () -> assertTrue(framesSent.get() >= target, "at least " + target + " mutated frames reached the"
                            + " server within " + budget + ": " + framesSent.get()),
                    () -> assertTrue(client.failures().isEmpty(), "the well-behaved client was served throughout: "
                            + client.failures()),
                    () -> assertTrue(heapGrowthBytes < (long) HEAP_GROWTH_MIB << 20, "heap after GC stays under "
                            + HEAP_GROWTH_MIB + " MiB above idle: grew " + ServerVitals.mebibytes(heapGrowthBytes) + " MiB"),
                    () -> assertTrue(logBytesPer100k < LOG_BYTES_PER_100K_FRAMES, "the log grows by less than 1 MiB per"
                            + " 100,000 bad frames: " + logGrowthBytes + " bytes for " + framesSent.get() + " frames"),
                    () -> assertTrue(unexplained.isEmpty(), "no directory created by a malformed frame: " + unexplained),
                    () -> assertEquals(0, misansweredCorrelationIds.get(), "answers carry their request's correlation id"),
                    () -> assertEquals(0, openAfterMalformed.get(), "a malformed frame closes its connection"));
        }
    }

    // ---- fuzzing -------------------------------------------------------------------------------------------

    /** The random source of connection {@code n}: a function of seed and n only, so any connection is replayable. */
    private static Random random(long seed, long connection) {
        return new Random(seed * 0x9E3779B97F4A7C15L + connection);
    }

    /**
     * Draws mutants for one connection until, as the server's framing and parser see the bytes, one is malformed or
     * incomplete (the server stops reading there), or {@value #MAX_FRAMES_PER_CONNECTION} were drawn.
     */
    private Plan plan(FrameMutator mutator, long seed, long connection) {
        Random random = random(seed, connection);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<Integer> answered = new ArrayList<>();
        List<byte[]> wellFormed = new ArrayList<>();
        int parsedUpTo = 0;
        int mutants = 0;
        Ending ending = Ending.OPEN;
        while (ending == Ending.OPEN && mutants < MAX_FRAMES_PER_CONNECTION) {
            Mutant mutant = mutator.next(random);
            bytes.writeBytes(mutant.wire());
            mutants++;
            mutations.incrementAndGet(mutant.mutation().ordinal());
            byte[] stream = bytes.toByteArray();
            while (ending == Ending.OPEN && parsedUpTo < stream.length) {
                int remaining = stream.length - parsedUpTo;
                if (remaining < 4) {
                    ending = Ending.INCOMPLETE;
                    break;
                }
                int length = ByteBuffer.wrap(stream).getInt(parsedUpTo);
                if (length < 0 || length > MAX_REQUEST_BYTES) {
                    ending = Ending.CLOSES;
                } else if (remaining - 4 < length) {
                    ending = Ending.INCOMPLETE;
                } else {
                    int frameStart = parsedUpTo + 4;
                    parsedUpTo = frameStart + length;
                    Verdict verdict = KafkaSeedFrames.parse(stream, frameStart, length);
                    if (verdict == Verdict.MALFORMED) {
                        ending = Ending.CLOSES;
                    } else {
                        wellFormed.add(java.util.Arrays.copyOfRange(stream, frameStart, frameStart + length));
                        if (verdict == Verdict.ANSWERED) {
                            answered.add(ByteBuffer.wrap(stream).getInt(frameStart + 4));
                        }
                    }
                }
            }
        }
        wellFormedFrames.addAll(wellFormed);
        return new Plan(bytes.toByteArray(), mutants, answered, ending);
    }

    private void exchange(InetSocketAddress address, Plan plan) {
        int answersRead = 0;
        try (Socket socket = new Socket()) {
            socket.setSoLinger(true, 0);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(READ_TIMEOUT_MS);
            try {
                socket.connect(address, READ_TIMEOUT_MS);
            } catch (IOException e) {
                connectFailures.incrementAndGet();
                return;
            }
            try {
                socket.getOutputStream().write(plan.bytes());
                socket.getOutputStream().flush();
            } catch (IOException e) {
                writeFailures.incrementAndGet();
                return;
            }
            framesSent.addAndGet(plan.mutants());
            switch (plan.ending()) {
                case CLOSES -> framesMalformed.incrementAndGet();
                case INCOMPLETE -> framesIncomplete.incrementAndGet();
                case OPEN -> { }
            }
            framesParsed.addAndGet(plan.mutants() - (plan.ending() == Ending.OPEN ? 0 : 1));
            DataInputStream in = new DataInputStream(socket.getInputStream());
            for (int correlationId : plan.answeredCorrelationIds()) {
                int length = in.readInt();
                if (length < 4 || length > MAX_REQUEST_BYTES) {
                    misansweredCorrelationIds.incrementAndGet();
                    return;
                }
                byte[] answer = new byte[length];
                in.readFully(answer);
                answers.incrementAndGet();
                answersRead++;
                if (ByteBuffer.wrap(answer).getInt(0) != correlationId) {
                    misansweredCorrelationIds.incrementAndGet();
                    return;
                }
            }
            if (plan.ending() == Ending.CLOSES) {
                // Generous: a server busy with other connections may take a while to reach this one's bad frame.
                socket.setSoTimeout(CLOSE_TIMEOUT_MS);
                if (in.read() == -1) {
                    closedAsPredicted.incrementAndGet();
                } else {
                    openAfterMalformed.incrementAndGet();
                }
            }
        } catch (SocketTimeoutException e) {
            if (plan.ending() == Ending.CLOSES && answersRead == plan.answeredCorrelationIds().size()) {
                openAfterMalformed.incrementAndGet();
            } else {
                unanswered.incrementAndGet();
            }
        } catch (EOFException | SocketException e) {
            closedEarly.incrementAndGet();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Unmutated seeds, each on a connection of its own: creates what they legitimately create before the baseline. */
    private static List<String> sendSeedsOnce(HearthServer server, KafkaSeedFrames seeds) throws IOException {
        Set<String> answered = new TreeSet<>();
        List<String> refused = new ArrayList<>();
        for (Seed seed : seeds.seeds()) {
            try (Socket socket = new Socket()) {
                socket.setSoTimeout(30_000);
                socket.connect(kafkaAddress(server));
                socket.getOutputStream().write(ByteBuffer.allocate(4).putInt(seed.frame().length).array());
                socket.getOutputStream().write(seed.frame());
                if (KafkaSeedFrames.parse(seed.frame(), 0, seed.frame().length) == Verdict.SILENT) {
                    continue;
                }
                DataInputStream in = new DataInputStream(socket.getInputStream());
                byte[] answer = new byte[in.readInt()];
                in.readFully(answer);
                assertEquals(1, ByteBuffer.wrap(answer).getInt(0), "the answer to seed " + seed + " carries its correlation id");
                answered.add(seed.api().name());
            } catch (EOFException | SocketException e) {
                refused.add(seed.toString());
            }
        }
        System.out.printf("KafkaFrameFuzzIT: seeds answered for %s; connection closed instead for %s%n", answered, refused);
        return new ArrayList<>(answered);
    }

    // ---- checks --------------------------------------------------------------------------------------------

    /** Directories under the data directory, relative, down to partition level (Payara's txlog aside). */
    private static Set<String> directories(Path dataDir) throws IOException {
        try (Stream<Path> paths = Files.walk(dataDir, 3)) {
            return paths.filter(Files::isDirectory).map(path -> dataDir.relativize(path).toString())
                    .filter(path -> !path.isEmpty() && !path.startsWith("txlog")).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /**
     * New directories that no well-formed frame accounts for, with the reason: a directory under {@code topics/}
     * is accounted for when its topic's name occurs in a frame the server's parser accepts; any other new directory
     * is not.
     */
    private Map<String, String> unexplainedDirectories(Set<String> newDirectories) {
        Map<String, String> unexplained = new TreeMap<>();
        for (String directory : newDirectories) {
            String[] parts = directory.split("/");
            if (parts.length < 2 || !parts[0].equals("topics")) {
                unexplained.put(directory, "not a topic's directory");
            } else if (!namedInWellFormedFrame(parts[1])) {
                unexplained.put(directory, "topic named by no well-formed frame");
            }
        }
        return unexplained;
    }

    private boolean namedInWellFormedFrame(String topic) {
        byte[] name = topic.getBytes(StandardCharsets.UTF_8);
        return wellFormedFrames.stream().anyMatch(frame -> KafkaSeedFrames.indexOf(frame, name) >= 0);
    }

    private Map<Mutation, Long> mutationCounts() {
        Map<Mutation, Long> counts = new EnumMap<>(Mutation.class);
        for (Mutation mutation : Mutation.values()) {
            counts.put(mutation, mutations.get(mutation.ordinal()));
        }
        return counts;
    }

    // ---- set-up --------------------------------------------------------------------------------------------

    private static Uuid createTopics(HearthServer server) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", server.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(KafkaSeedFrames.SEED_TOPIC, KafkaSeedFrames.SEED_PARTITIONS, (short) 1),
                    new NewTopic(WELL_BEHAVED_TOPIC, 1, (short) 1))).all().get(60, TimeUnit.SECONDS);
            return admin.describeTopics(List.of(KafkaSeedFrames.SEED_TOPIC)).allTopicNames().get(60, TimeUnit.SECONDS)
                    .get(KafkaSeedFrames.SEED_TOPIC).topicId();
        }
    }

    private static InetSocketAddress kafkaAddress(HearthServer server) {
        String[] hostPort = server.bootstrapServers().split(":");
        return new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
    }

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.SEVERE);
        return logger;
    }

    /**
     * A producer (acks=all, idempotent) sending numbered records one at a time and a consumer reading them back
     * from the beginning of {@link #WELL_BEHAVED_TOPIC}; failures are recorded, not thrown, so that the fuzzing
     * goes on and the test reports every figure. A send that takes over {@value #STALL_SECONDS} s, or a consumer
     * that sees no new record for that long while acknowledged ones wait, is a stall.
     */
    private static final class WellBehavedClient {

        private final HearthServer server;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong acknowledged = new AtomicLong();
        private final AtomicLong consumed = new AtomicLong();
        private final AtomicLong longestSendNanos = new AtomicLong();
        private final AtomicLong longestConsumerWaitNanos = new AtomicLong();
        private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
        private final List<Thread> threads = new ArrayList<>();
        /** Set by the test once the producer stopped: the consumer then ends when it has read every acknowledged record. */
        private final AtomicBoolean draining = new AtomicBoolean();

        WellBehavedClient(HearthServer server) {
            this.server = server;
        }

        void start() {
            threads.add(new Thread(this::produce, "well-behaved-producer"));
            threads.add(new Thread(this::consume, "well-behaved-consumer"));
            threads.forEach(thread -> {
                thread.setDaemon(true);
                thread.start();
            });
        }

        void awaitConsumed(long records, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (consumed.get() < records && failures.isEmpty() && System.nanoTime() < deadline) {
                synchronized (consumed) {
                    consumed.wait(100);
                }
            }
            assertTrue(consumed.get() >= records, "the well-behaved client is served before the fuzzing: " + failures);
        }

        /** Stops the producer; the consumer must then read every acknowledged record within the stall limit. */
        void stopAndVerify() throws InterruptedException {
            running.set(false);
            threads.get(0).join(TimeUnit.SECONDS.toMillis(STALL_SECONDS * 2));
            draining.set(true);
            threads.get(1).join(TimeUnit.SECONDS.toMillis(STALL_SECONDS * 2));
            if (consumed.get() != acknowledged.get()) {
                failures.add("consumed " + consumed.get() + " of " + acknowledged.get() + " acknowledged records");
            }
        }

        long acknowledged() {
            return acknowledged.get();
        }

        long consumed() {
            return consumed.get();
        }

        long longestSendMillis() {
            return TimeUnit.NANOSECONDS.toMillis(longestSendNanos.get());
        }

        long longestConsumerWaitMillis() {
            return TimeUnit.NANOSECONDS.toMillis(longestConsumerWaitNanos.get());
        }

        List<String> failures() {
            return failures;
        }

        private void produce() {
            Properties config = new Properties();
            config.put("bootstrap.servers", server.bootstrapServers());
            config.put("key.serializer", StringSerializer.class.getName());
            config.put("value.serializer", StringSerializer.class.getName());
            config.put("acks", "all");
            config.put("enable.idempotence", "true");
            config.put("delivery.timeout.ms", "120000");
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
                for (long sequence = 0; running.get(); sequence++) {
                    long startNanos = System.nanoTime();
                    try {
                        producer.send(new ProducerRecord<>(WELL_BEHAVED_TOPIC, 0, "k", Long.toString(sequence)))
                                .get(STALL_SECONDS, TimeUnit.SECONDS);
                    } catch (TimeoutException e) {
                        failures.add("send of record " + sequence + " stalled over " + STALL_SECONDS + " s");
                        return;
                    } catch (Exception e) {
                        failures.add("send of record " + sequence + " failed: " + e);
                        return;
                    }
                    longestSendNanos.accumulateAndGet(System.nanoTime() - startNanos, Math::max);
                    acknowledged.incrementAndGet();
                    // Pacing, not waiting for a condition: about 100 records a second.
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                }
            }
        }

        private void consume() {
            Properties config = new Properties();
            config.put("bootstrap.servers", server.bootstrapServers());
            config.put("key.deserializer", StringDeserializer.class.getName());
            config.put("value.deserializer", StringDeserializer.class.getName());
            TopicPartition partition = new TopicPartition(WELL_BEHAVED_TOPIC, 0);
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                long lastProgressNanos = System.nanoTime();
                while (!(draining.get() && consumed.get() >= acknowledged.get())) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                        long expected = consumed.get();
                        if (Long.parseLong(record.value()) != expected) {
                            failures.add("consumed record " + record.value() + " at offset " + record.offset()
                                    + " where record " + expected + " was due");
                            return;
                        }
                        consumed.incrementAndGet();
                        lastProgressNanos = System.nanoTime();
                        synchronized (consumed) {
                            consumed.notifyAll();
                        }
                    }
                    long waitingNanos = System.nanoTime() - lastProgressNanos;
                    if (consumed.get() < acknowledged.get()) {
                        longestConsumerWaitNanos.accumulateAndGet(waitingNanos, Math::max);
                        if (waitingNanos > TimeUnit.SECONDS.toNanos(STALL_SECONDS)) {
                            failures.add("consumer stalled over " + STALL_SECONDS + " s at record " + consumed.get()
                                    + " with " + acknowledged.get() + " acknowledged");
                            return;
                        }
                    } else {
                        lastProgressNanos = System.nanoTime();
                    }
                }
            } catch (RuntimeException e) {
                failures.add("consumer failed: " + e);
            }
        }
    }
}
