package dev.hearth.engine.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import org.apache.kafka.common.Uuid;

import dev.hearth.engine.EngineConfig;
import dev.hearth.engine.InvalidPartitionsException;
import dev.hearth.engine.PartitionLimitException;
import dev.hearth.engine.StorageException;
import dev.hearth.engine.TopicConfig;
import dev.hearth.engine.TopicExistsException;
import dev.hearth.engine.UnknownTopicOrPartitionException;

/**
 * The engine's data directory. Layout:
 *
 * <pre>
 * &lt;dataDir&gt;/.lock                               held (OS file lock) while an engine has the directory open
 * &lt;dataDir&gt;/.clean-shutdown                     present only between a clean close and the next open
 * &lt;dataDir&gt;/recovery-point-offset-checkpoint    see {@link RecoveryPointCheckpoint}
 * &lt;dataDir&gt;/topics/&lt;topic&gt;/topic.properties     see {@link TopicMetadataFile}
 * &lt;dataDir&gt;/topics/&lt;topic&gt;/&lt;partition&gt;/        segment files, see {@link LogSegment}; after
 *                                                  DeleteRecords also {@link LogStartOffsetFile}
 * &lt;dataDir&gt;/staging/&lt;uuid&gt;/, &lt;dataDir&gt;/deleted/&lt;uuid&gt;/   topics being created or deleted; emptied at open
 * </pre>
 *
 * A topic appears in {@code topics/} by one atomic rename of a fully written staging directory, and
 * disappears by one rename to {@code deleted/}, so a crash never leaves half a topic. Staging and deleted
 * directories are named by a bare random UUID, never after the topic: a topic name may be 249 characters
 * long and a file name at most 255 bytes, so the topic's own directory is the only one named after it.
 * A creation that fails removes what it wrote. Files whose content is
 * replaced ({@code recovery-point-offset-checkpoint}, {@code topic.properties}, {@code .clean-shutdown}) go
 * through {@link AtomicFiles}, which may leave a {@code <name>.tmp} after a crash; it is never read.
 *
 * <p>Permissions: everything the engine creates below {@code dataDir} is owner-only, directories 0700 and
 * files 0600 whatever the umask ({@link OwnerOnlyFiles}), and {@link #open} narrows an existing data
 * directory that is open to group or others to its owner (HEARTH-0116).
 *
 * <p>Thread-safety: topic creation, deletion and alteration serialize on this object; lookups are
 * lock-free over a concurrent map.
 */
public final class LogDirectory implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LogDirectory.class.getName());
    private static final String CLEAN_SHUTDOWN = ".clean-shutdown";

    private final EngineConfig config;
    private final LongSupplier clock;
    private final Path topicsDir;
    private final Path stagingDir;
    private final Path deletedDir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final SegmentDeleter deleter;
    private final LogCleaner cleaner;
    private final List<AppendListener> listeners = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<String, Topic> topics = new ConcurrentHashMap<>();
    /** Topic id → name, for requests that name topics by id (Fetch and Produce v13+): a hot-path lookup. */
    private final ConcurrentHashMap<String, String> namesById = new ConcurrentHashMap<>();
    private boolean closed;

    private LogDirectory(EngineConfig config, LongSupplier clock, FileChannel lockChannel, FileLock lock) {
        this.config = config;
        this.clock = clock;
        this.topicsDir = config.dataDir().resolve("topics");
        this.stagingDir = config.dataDir().resolve("staging");
        this.deletedDir = config.dataDir().resolve("deleted");
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.deleter = new SegmentDeleter(clock, config.fileDeleteDelayMs());
        this.cleaner = new LogCleaner(config, clock);
    }

    /** Opens the directory, recovering every partition; damaged partitions come back offline. */
    public static LogDirectory open(EngineConfig config, LongSupplier clock) throws IOException {
        Path dataDir = config.dataDir();
        OwnerOnlyFiles.createDirectoriesDurably(dataDir);
        restrictToOwner(dataDir);
        FileChannel lockChannel = OwnerOnlyFiles.open(dataDir.resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock = lockChannel.tryLock();
        if (lock == null) {
            lockChannel.close();
            throw new IOException("Data directory " + dataDir + " is in use by another Hearth engine");
        }
        LogDirectory directory = new LogDirectory(config, clock, lockChannel, lock);
        try {
            directory.load();
        } catch (IOException | RuntimeException e) {
            directory.releaseLock();
            throw e;
        }
        return directory;
    }

    /**
     * The data directory is the boundary that keeps the log private: one created by an operator or by an
     * older Hearth (with the umask's mode) is narrowed to its owner. Not fatal when that is refused (a
     * directory owned by another user, say): the files below are owner-only anyway.
     */
    private static void restrictToOwner(Path dataDir) {
        try {
            if (OwnerOnlyFiles.restrict(dataDir)) {
                LOG.warning("HEARTH-0116 The data directory " + dataDir + " was open to its group or to others; "
                        + "its permissions are now owner-only");
            }
        } catch (IOException e) {
            LOG.warning("HEARTH-0117 Could not make the data directory " + dataDir + " owner-only (" + e
                    + "); its files are owner-only, but its listing may be readable by others");
        }
    }

    private void load() throws IOException {
        boolean fresh = !Files.exists(topicsDir);
        OwnerOnlyFiles.createDirectories(topicsDir);
        AtomicFiles.deleteRecursively(stagingDir);
        AtomicFiles.deleteRecursively(deletedDir);
        Path marker = config.dataDir().resolve(CLEAN_SHUTDOWN);
        boolean cleanShutdown = fresh || Files.exists(marker);
        Map<String, Long> recoveryPoints = RecoveryPointCheckpoint.read(config.dataDir());
        if (!cleanShutdown) {
            LOG.warning("HEARTH-0110 " + config.dataDir() + " was not shut down cleanly: recovering partitions "
                    + "from their recovery points");
        }
        try (Stream<Path> dirs = Files.list(topicsDir)) {
            for (Path topicDir : dirs.filter(Files::isDirectory).sorted().toList()) {
                loadTopic(topicDir, cleanShutdown, recoveryPoints);
            }
        }
        // The marker goes only now: a crash during loading must lead to another full recovery.
        Files.deleteIfExists(marker);
        AtomicFiles.fsyncDirectory(config.dataDir());
        writeRecoveryPoints();
    }

    private void loadTopic(Path topicDir, boolean cleanShutdown, Map<String, Long> recoveryPoints) {
        String name = topicDir.getFileName().toString();
        TopicMetadataFile metadata;
        TopicConfig topicConfig;
        try {
            metadata = TopicMetadataFile.read(topicDir);
            topicConfig = config.topicDefaults().with(metadata.configOverrides());
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.SEVERE, "HEARTH-0111 Topic directory " + topicDir + " has no readable definition; "
                    + "the topic is not served. Repair or remove " + TopicMetadataFile.FILE_NAME, e);
            return;
        }
        List<PartitionLog> partitions = new ArrayList<>();
        for (int p = 0; p < metadata.partitions(); p++) {
            long recoveryPoint = recoveryPoints.getOrDefault(RecoveryPointCheckpoint.key(name, p), 0L);
            partitions.add(PartitionLog.open(name, p, topicDir.resolve(Integer.toString(p)), topicConfig, config,
                    clock, deleter, listeners, cleanShutdown, recoveryPoint));
        }
        register(new Topic(name, topicDir, metadata.topicId(), metadata.configOverrides(), topicConfig,
                List.copyOf(partitions)));
    }

    public synchronized void createTopic(String name, int partitionCount, Map<String, String> overrides) {
        ensureOpen();
        if (partitionCount < 1) {
            throw new InvalidPartitionsException("A topic needs at least one partition, not " + partitionCount);
        }
        TopicConfig topicConfig = config.topicDefaults().with(overrides);
        if (topics.containsKey(name)) {
            throw new TopicExistsException("Topic '" + name + "' already exists.");
        }
        requireRoomFor(partitionCount);
        Path staged = stagingDir.resolve(UUID.randomUUID().toString());
        Path finalDir = topicsDir.resolve(name);
        TopicMetadataFile metadata = new TopicMetadataFile(Uuid.randomUuid().toString(), partitionCount,
                new TreeMap<>(overrides));
        boolean moved = false;
        try {
            OwnerOnlyFiles.createDirectories(staged);
            for (int p = 0; p < partitionCount; p++) {
                OwnerOnlyFiles.createDirectories(staged.resolve(Integer.toString(p)));
            }
            metadata.write(staged);
            Files.move(staged, finalDir, StandardCopyOption.ATOMIC_MOVE);
            moved = true;
            AtomicFiles.fsyncDirectory(topicsDir);
        } catch (IOException e) {
            StorageException failure = new StorageException("Could not create topic '" + name + "' in " + topicsDir
                    + ": " + e, e);
            discard(moved ? finalDir : staged, failure);
            throw failure;
        }
        List<PartitionLog> partitions = new ArrayList<>();
        for (int p = 0; p < partitionCount; p++) {
            partitions.add(PartitionLog.open(name, p, finalDir.resolve(Integer.toString(p)), topicConfig, config,
                    clock, deleter, listeners, true, 0));
        }
        register(new Topic(name, finalDir, metadata.topicId(), metadata.configOverrides(), topicConfig,
                List.copyOf(partitions)));
        LOG.info(() -> "HEARTH-0112 Created topic '" + name + "' with " + partitionCount + " partition(s)");
    }

    /**
     * Refuses {@code added} more partitions if the broker would then hold more than
     * {@link EngineConfig#maxPartitions}. Creations call it holding this directory's lock, so the count cannot
     * change before their partitions exist; a validate-only caller gets an answer that may be stale at once.
     */
    public void requireRoomFor(int added) {
        int existing = partitionCount();
        if ((long) existing + added > config.maxPartitions()) {
            throw new PartitionLimitException("The broker holds " + existing + " partitions and at most "
                    + config.maxPartitions() + " (hearth.max.partitions.per.broker); " + added + " more are refused");
        }
    }

    /** Partitions of every topic, internal ones included. */
    public int partitionCount() {
        int count = 0;
        for (Topic topic : topics.values()) {
            count += topic.partitions().size();
        }
        return count;
    }

    /** Removes the directory of a failed creation; a failure to do so is added to {@code failure}. */
    private static void discard(Path dir, StorageException failure) {
        try {
            AtomicFiles.deleteRecursively(dir);
        } catch (IOException | UncheckedIOException e) {
            failure.addSuppressed(e);
        }
    }

    public synchronized void deleteTopic(String name) {
        ensureOpen();
        Topic topic = topic(name);
        topics.remove(name);
        namesById.remove(topic.topicId());
        try {
            OwnerOnlyFiles.createDirectories(deletedDir);
            Path target = deletedDir.resolve(UUID.randomUUID().toString());
            Files.move(topic.dir(), target, StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.fsyncDirectory(topicsDir);
            topic.partitions().forEach(PartitionLog::close);
            AtomicFiles.deleteRecursively(target);
        } catch (IOException e) {
            throw new StorageException("Could not delete topic '" + name + "': " + e, e);
        }
        LOG.info(() -> "HEARTH-0113 Deleted topic '" + name + "'");
    }

    public synchronized void addPartitions(String name, int newTotal) {
        ensureOpen();
        Topic topic = topic(name);
        int current = topic.partitions().size();
        if (newTotal <= current) {
            throw InvalidPartitionsException.notAnIncrease(name, current, newTotal);
        }
        requireRoomFor(newTotal - current);
        createPartitionDirectories(topic.dir(), current, newTotal);
        List<PartitionLog> partitions = new ArrayList<>(topic.partitions());
        for (int p = current; p < newTotal; p++) {
            partitions.add(PartitionLog.open(name, p, topic.dir().resolve(Integer.toString(p)), topic.config(),
                    config, clock, deleter, listeners, true, 0));
        }
        Topic grown = new Topic(name, topic.dir(), topic.topicId(), topic.configOverrides(), topic.config(),
                List.copyOf(partitions));
        persist(grown);
        register(grown);
    }

    /** Replaces the topic's overrides (keys absent from {@code overrides} fall back to the defaults). */
    public synchronized void replaceConfig(String name, Map<String, String> overrides) {
        ensureOpen();
        Topic topic = topic(name);
        TopicConfig topicConfig = config.topicDefaults().with(overrides);
        Topic altered = new Topic(name, topic.dir(), topic.topicId(), new TreeMap<>(overrides), topicConfig,
                topic.partitions());
        persist(altered);
        register(altered);
        topic.partitions().forEach(partition -> partition.updateConfig(topicConfig));
    }

    /**
     * Created here, owner-only, so that {@link PartitionLog#open} finds them rather than creating them with the
     * umask's mode; all before any is opened, so a failure leaves no opened partition behind.
     */
    private static void createPartitionDirectories(Path topicDir, int from, int to) {
        for (int p = from; p < to; p++) {
            Path dir = topicDir.resolve(Integer.toString(p));
            try {
                OwnerOnlyFiles.createDirectories(dir);
            } catch (IOException e) {
                throw new StorageException("Could not create partition directory " + dir + ": " + e, e);
            }
        }
    }

    private void persist(Topic topic) {
        try {
            topic.metadata().write(topic.dir());
        } catch (IOException e) {
            throw new StorageException("Could not write the definition of topic '" + topic.name() + "': " + e, e);
        }
    }

    private void register(Topic topic) {
        topics.put(topic.name(), topic);
        namesById.put(topic.topicId(), topic.name());
    }

    /** The name of the topic with this id, if it exists. */
    public Optional<String> nameForId(String topicId) {
        return Optional.ofNullable(namesById.get(topicId));
    }

    public Topic topic(String name) {
        Topic topic = topics.get(name);
        if (topic == null) {
            throw new UnknownTopicOrPartitionException("Topic '" + name + "' does not exist");
        }
        return topic;
    }

    public Optional<Topic> findTopic(String name) {
        return Optional.ofNullable(topics.get(name));
    }

    public Collection<Topic> topics() {
        return topics.values();
    }

    public PartitionLog partition(String topicName, int partition) {
        Topic topic = topic(topicName);
        if (partition < 0 || partition >= topic.partitions().size()) {
            throw new UnknownTopicOrPartitionException("Topic '" + topicName + "' has no partition " + partition
                    + "; it has " + topic.partitions().size());
        }
        return topic.partitions().get(partition);
    }

    public void addAppendListener(AppendListener listener) {
        listeners.add(listener);
    }

    /** Periodic duties: flush (for periodic policies), retention, delayed file deletion, checkpoint. */
    public void flushAll() {
        for (PartitionLog log : allPartitions()) {
            try {
                log.flush();
            } catch (StorageException e) {
                // Already logged once, when the partition went offline.
            }
        }
    }

    public int runRetention() {
        int deleted = 0;
        for (PartitionLog log : allPartitions()) {
            try {
                deleted += log.deleteRetainedSegments();
                log.expireProducers();
            } catch (StorageException e) {
                // Already logged once, when the partition went offline.
            }
        }
        deleter.runDue(false);
        return deleted;
    }

    /** One log-cleaner pass over the compacted partitions; returns how many were rewritten. */
    public int runCompaction() {
        int cleaned = cleaner.clean(allPartitions());
        deleter.runDue(false);
        return cleaned;
    }

    public synchronized void writeRecoveryPoints() {
        try {
            RecoveryPointCheckpoint.write(config.dataDir(), allPartitions());
        } catch (IOException e) {
            throw new StorageException("Could not write " + RecoveryPointCheckpoint.FILE_NAME + ": " + e, e);
        }
    }

    private List<PartitionLog> allPartitions() {
        List<PartitionLog> all = new ArrayList<>();
        topics.values().forEach(topic -> all.addAll(topic.partitions()));
        return all;
    }

    /** Flushes and closes every partition, then writes the checkpoint and the clean-shutdown marker. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        List<PartitionLog> all = allPartitions();
        boolean allOnline = all.stream().allMatch(log -> log.state() == dev.hearth.engine.PartitionState.ONLINE);
        try {
            all.forEach(PartitionLog::flush);
            RecoveryPointCheckpoint.write(config.dataDir(), all);
        } catch (IOException | StorageException e) {
            allOnline = false;
            LOG.log(Level.SEVERE, "HEARTH-0114 Final flush failed; the next start recovers", e);
        }
        all.forEach(PartitionLog::close);
        deleter.runDue(true);
        closed = true;
        try {
            if (allOnline) {
                AtomicFiles.write(config.dataDir().resolve(CLEAN_SHUTDOWN), new byte[0]);
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "HEARTH-0115 Could not write the clean-shutdown marker; the next start recovers", e);
        } finally {
            releaseLock();
        }
    }

    private void releaseLock() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new StorageException("The log directory " + config.dataDir() + " is closed");
        }
    }
}
