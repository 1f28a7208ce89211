package dev.hearth.job.control;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

import dev.hearth.job.exec.Bytes;
import dev.hearth.job.exec.KeyValueStore;
import dev.hearth.job.exec.SessionStore;
import dev.hearth.job.exec.StateStore;
import dev.hearth.job.exec.TaskId;
import dev.hearth.job.exec.WindowStore;
import dev.hearth.job.plan.PhysicalPlan;
import dev.hearth.job.plan.Stage;

/**
 * Interactive queries of one job's state stores: finds the task (partition) that holds a key, the worker that
 * runs it or the instance that does, and reads the store there.
 *
 * <h2>Where a key is</h2>
 * A store of stage {@code s} has one instance per task, that is per partition of the stage's inputs; a key is in
 * partition {@code toPositive(murmur2(keyBytes)) % partitions}, Kafka's default partitioner on the key bytes the
 * store's key serde makes, which is how the job's repartition topics are written. A store fed straight from a
 * source topic assumes its producers used the default partitioner too.
 *
 * <h2>Who answers</h2>
 * A local worker that holds the partition answers on its own thread ({@link JobWorker#read}), within
 * {@code timeoutMs}. A partition held by another instance (several instances sharing the job on a Kafka cluster)
 * is answered with {@link StoreAnswer.Elsewhere}, the URL that instance advertised through the job's group
 * ({@link QueryEndpointAssignor}). A partition nobody holds yet (the job starts or rebalances), a worker that does
 * not answer in time, or an owner without a URL is a {@link StoreUnavailableException}.
 *
 * <h2>Pages</h2>
 * A scan reads every partition held here (or one, with {@code partition}) in ascending key-byte order, at most
 * {@code limit} rows; its cursor is the last key returned (base64url), the next page starts after it. A key's
 * windows are read by ascending window start; the cursor is where the next page starts. Cursors are opaque to
 * clients.
 *
 * <p>Thread-safety: thread-safe; queries run concurrently with each other and with the job (reads are handed to
 * the workers' threads); {@link #owners} and {@link #configure} publish through volatile fields.
 */
@SuppressWarnings("unchecked") // a store's type follows from its QueryableStore.Kind
public final class StoreQueries {

    /** The default bound of a wait for a worker's answer, in ms. */
    public static final long DEFAULT_TIMEOUT_MS = 10_000;

    private final String job;
    private final PhysicalPlan plan;  // null for a rejected job
    private final Map<String, QueryableStore> stores;
    private final Supplier<List<JobWorker>> workers;
    /** Partition to the REST base URL of the instance holding it ("" if it advertises none), as of the last rebalance. */
    private volatile Map<TopicPartition, String> owners = Map.of();
    /** This instance's advertised REST base URL, null if none. */
    private volatile String advertisedUrl;
    private volatile long timeoutMs = DEFAULT_TIMEOUT_MS;

    StoreQueries(String job, PhysicalPlan plan, Supplier<List<JobWorker>> workers) {
        this.job = job;
        this.plan = plan;
        this.stores = plan == null ? Map.of() : QueryableStore.of(plan);
        this.workers = workers;
    }

    /**
     * @param advertisedUrl this instance's REST base URL as other instances should use it, null if unknown
     * @param timeoutMs     the longest wait for a worker's answer
     */
    public void configure(String advertisedUrl, long timeoutMs) {
        this.advertisedUrl = advertisedUrl;
        this.timeoutMs = timeoutMs;
    }

    /** This instance's advertised REST base URL, null if none. */
    String advertisedUrl() {
        return advertisedUrl;
    }

    /** Called by the workers' assignor after each rebalance with the owner of every partition. */
    void owners(Map<TopicPartition, String> owners) {
        this.owners = owners;
    }

    /** The job's queryable stores, in plan order. */
    public Collection<QueryableStore> stores() {
        return stores.values();
    }

    /** @throws StoreNotFoundException if the job has no queryable store {@code name} */
    public QueryableStore store(String name) {
        QueryableStore store = stores.get(name);
        if (store == null) {
            throw new StoreNotFoundException(job, name, stores.keySet());
        }
        return store;
    }

    /** The number of partitions (tasks) of the store; known once the job found its source topics. */
    public int partitions(QueryableStore store) {
        Map<String, Integer> sourcePartitions = anyWorker(store, -1).sourcePartitions();
        return plan.taskCount(plan.stages().get(store.stage()), sourcePartitions::get);
    }

    /**
     * The value of one key of a key-value store.
     *
     * @param keyText the key in the store's key format, or base64url of its bytes when {@code base64}
     * @throws StoreKeyNotFoundException if the key has no value
     */
    public StoreAnswer get(String storeName, String keyText, boolean base64) {
        QueryableStore store = store(storeName);
        requireKind(store, QueryableStore.Kind.KEY_VALUE, "a key's windows: GET .../keys/{key} with from_ms/to_ms");
        Bytes key = new Bytes(QueryCodec.parseKey(keyText, base64, store.keySerde()));
        int partition = partitionOf(store, key);
        StoreAnswer answer = onOwner(store, partition, kv -> {
            Object value = ((KeyValueStore<Object>) kv).get(key);
            return value == null ? List.<StoreAnswer.Row>of()
                    : List.of(new StoreAnswer.Row(QueryCodec.formatKey(key.get(), store.keySerde()), null, null,
                    QueryCodec.value(value, store.valueSerde())));
        });
        if (answer instanceof StoreAnswer.Rows rows && rows.rows().isEmpty()) {
            throw new StoreKeyNotFoundException(job, storeName, keyText, partition, "Store '" + storeName
                    + "' of job '" + job + "' has no value for key '" + keyText + "' (partition " + partition + ")");
        }
        return answer;
    }

    /**
     * The windows of one key of a window store with {@code fromMs <= start <= toMs}, or the sessions of a session
     * store that overlap {@code [fromMs, toMs]}; ascending by start, at most {@code limit}. Only windows that are
     * not final yet are in the store.
     *
     * @param cursor the {@code nextCursor} of the previous page, or null
     */
    public StoreAnswer windows(String storeName, String keyText, boolean base64, long fromMs, long toMs, int limit,
                               String cursor) {
        QueryableStore store = store(storeName);
        if (store.kind() == QueryableStore.Kind.KEY_VALUE) {
            throw new InvalidStoreQueryException("store '" + storeName + "' is a key-value store: from_ms, to_ms,"
                    + " limit and cursor apply to window and session stores");
        }
        requireLimit(limit);
        if (fromMs > toMs) {
            throw new InvalidStoreQueryException("from_ms (" + fromMs + ") is after to_ms (" + toMs + ")");
        }
        long from = cursor == null ? fromMs : Math.max(fromMs, parseTimeCursor(cursor));
        Bytes key = new Bytes(QueryCodec.parseKey(keyText, base64, store.keySerde()));
        int partition = partitionOf(store, key);
        StoreAnswer answer = onOwner(store, partition, state -> store.kind() == QueryableStore.Kind.WINDOW
                ? windowRows(store, (WindowStore<Object, Object>) state, key, from, toMs, limit + 1)
                : sessionRows(store, (SessionStore<Object, Object>) state, key, from, toMs, limit + 1));
        if (!(answer instanceof StoreAnswer.Rows rows)) {
            return answer;
        }
        List<StoreAnswer.Row> page = rows.rows();
        String next = null;
        if (page.size() > limit) {
            page = page.subList(0, limit);
            StoreAnswer.Row last = page.get(limit - 1);
            // windows: the next start after the last; sessions (disjoint): those ending after the last one's end
            next = Long.toString(store.kind() == QueryableStore.Kind.WINDOW ? last.windowStartMs() + 1
                    : last.windowEndMs() + 1);
        }
        return new StoreAnswer.Rows(List.copyOf(page), rows.partitions(), next, Map.of());
    }

    /**
     * A page of a key-value store: every partition held by this instance, or only {@code partition} (>= 0), in
     * ascending order of the key bytes.
     */
    public StoreAnswer scan(String storeName, int partition, int limit, String cursor) {
        QueryableStore store = store(storeName);
        requireKind(store, QueryableStore.Kind.KEY_VALUE, "the windows of a key: GET .../keys/{key}");
        requireLimit(limit);
        Bytes after = cursor == null ? null : new Bytes(QueryCodec.decodeBase64(cursor, "cursor"));
        int partitions = partitions(store);
        if (partition >= partitions) {
            throw new InvalidStoreQueryException("store '" + storeName + "' has partitions 0.." + (partitions - 1)
                    + ", not " + partition);
        }
        Function<StateStore, List<StoreAnswer.Row>> read = kv -> {
            List<StoreAnswer.Row> rows = new ArrayList<>();
            for (KeyValueStore.Entry<Object> entry : ((KeyValueStore<Object>) kv).scan(after, limit)) {
                rows.add(new StoreAnswer.Row(QueryCodec.encodeBase64(entry.key().get()), null, null,
                        QueryCodec.value(entry.value(), store.valueSerde())));
            }
            return rows; // keys as base64url for now: merged in key-byte order below, then formatted
        };
        if (partition >= 0) {
            return page(store, merge(List.of(onOwner(store, partition, read)), limit), limit, Map.of());
        }
        Map<Integer, CompletableFuture<List<StoreAnswer.Row>>> local = new TreeMap<>();
        Map<Integer, String> elsewhere = new TreeMap<>();
        for (int p = 0; p < partitions; p++) {
            Owner owner = owner(store, p);
            if (owner.worker() != null) {
                local.put(p, owner.worker().read(new TaskId(store.stage(), p), store.name(), read));
            } else {
                elsewhere.put(p, owner.url());
            }
        }
        List<StoreAnswer> answers = new ArrayList<>();
        local.forEach((p, future) -> {
            try {
                answers.add(new StoreAnswer.Rows(await(store, p, future), List.of(p), null, Map.of()));
            } catch (MovedException e) {
                throw unavailable(store, p, "partition " + p + " is moving between workers (the job's group is"
                        + " rebalancing); try again");
            }
        });
        return page(store, merge(answers, limit), limit, elsewhere);
    }

    private List<StoreAnswer.Row> windowRows(QueryableStore store, WindowStore<Object, Object> windows, Bytes key,
                                             long fromMs, long toMs, int limit) {
        List<StoreAnswer.Row> rows = new ArrayList<>();
        String keyText = QueryCodec.formatKey(key.get(), store.keySerde());
        for (WindowStore.Window<Object> window : windows.fetch(key, fromMs, toMs, limit)) {
            rows.add(new StoreAnswer.Row(keyText, window.windowStartMs(), window.windowStartMs() + store.windowSizeMs(),
                    QueryCodec.value(window.aggregate(), store.valueSerde())));
        }
        return rows;
    }

    private List<StoreAnswer.Row> sessionRows(QueryableStore store, SessionStore<Object, Object> sessions, Bytes key,
                                              long fromMs, long toMs, int limit) {
        List<SessionStore.Session<Object, Object>> found = new ArrayList<>();
        // findOverlapping is exclusive at both ends; the query's range is inclusive
        sessions.findOverlapping(key, fromMs == Long.MIN_VALUE ? fromMs : fromMs - 1,
                toMs == Long.MAX_VALUE ? toMs : toMs + 1, found);
        found.sort(Comparator.comparingLong(SessionStore.Session::startMs));
        List<StoreAnswer.Row> rows = new ArrayList<>();
        String keyText = QueryCodec.formatKey(key.get(), store.keySerde());
        for (SessionStore.Session<Object, Object> session : found.subList(0, Math.min(limit, found.size()))) {
            rows.add(new StoreAnswer.Row(keyText, session.startMs(), session.endMs(),
                    QueryCodec.value(session.aggregate(), store.valueSerde())));
        }
        return rows;
    }

    /** The rows of every partition's answer, in key-byte order (keys still base64url), at most limit + 1. */
    private static StoreAnswer merge(List<StoreAnswer> answers, int limit) {
        List<StoreAnswer.Row> rows = new ArrayList<>();
        List<Integer> partitions = new ArrayList<>();
        boolean more = false;
        for (StoreAnswer answer : answers) {
            if (answer instanceof StoreAnswer.Elsewhere) {
                return answer;
            }
            StoreAnswer.Rows read = (StoreAnswer.Rows) answer;
            rows.addAll(read.rows());
            partitions.addAll(read.partitions());
            more |= read.rows().size() == limit; // that partition may have more
        }
        rows.sort(Comparator.comparing(row -> new Bytes(QueryCodec.decodeBase64(row.key(), "key"))));
        String next = more || rows.size() > limit ? "more" : null;
        return new StoreAnswer.Rows(rows.subList(0, Math.min(limit, rows.size())), partitions, next, Map.of());
    }

    /** The merged page with its keys formatted and the cursor of the next page (its last key), if any. */
    private static StoreAnswer page(QueryableStore store, StoreAnswer merged, int limit,
                                    Map<Integer, String> elsewhere) {
        if (!(merged instanceof StoreAnswer.Rows rows)) {
            return merged;
        }
        List<StoreAnswer.Row> formatted = new ArrayList<>(rows.rows().size());
        for (StoreAnswer.Row row : rows.rows()) {
            formatted.add(new StoreAnswer.Row(QueryCodec.formatKey(QueryCodec.decodeBase64(row.key(), "key"),
                    store.keySerde()), null, null, row.value()));
        }
        String next = rows.nextCursor() == null || rows.rows().isEmpty() ? null
                : rows.rows().get(rows.rows().size() - 1).key();
        List<Integer> partitions = new ArrayList<>(rows.partitions());
        partitions.sort(null);
        return new StoreAnswer.Rows(formatted, partitions, next, elsewhere);
    }

    /** Runs {@code read} on the task of {@code partition}, wherever it is. */
    private StoreAnswer onOwner(QueryableStore store, int partition,
                                Function<StateStore, List<StoreAnswer.Row>> read) {
        for (int attempt = 0; ; attempt++) {
            Owner owner = owner(store, partition);
            if (owner.worker() == null) {
                return new StoreAnswer.Elsewhere(owner.url(), partition);
            }
            try {
                return new StoreAnswer.Rows(await(store, partition,
                        owner.worker().read(new TaskId(store.stage(), partition), store.name(), read)),
                        List.of(partition), null, Map.of());
            } catch (MovedException e) {
                if (attempt == 1) {
                    throw unavailable(store, partition, "partition " + partition + " is moving between workers"
                            + " (the job's group is rebalancing); try again");
                }
            }
        }
    }

    /** The local worker holding {@code partition}, else the URL of the instance that does. */
    private Owner owner(QueryableStore store, int partition) {
        Stage stage = plan.stages().get(store.stage());
        TopicPartition input = new TopicPartition(stage.inputTopics().get(0), partition);
        for (JobWorker worker : workers.get()) {
            if (worker.assignedPartitions().contains(input)) {
                return new Owner(worker, null);
            }
        }
        String url = owners.get(input);
        if (url == null || url.equals(advertisedUrl)) {
            throw unavailable(store, partition, "partition " + partition + " of store '" + store.name()
                    + "' is not assigned to any worker yet (the job is starting or its group is rebalancing); try"
                    + " again");
        }
        if (url.isEmpty()) {
            throw unavailable(store, partition, "partition " + partition + " of store '" + store.name()
                    + "' is held by another instance that advertises no URL for queries"
                    + " (hearth.jobs.query.advertised.url)");
        }
        return new Owner(null, url);
    }

    private <R> R await(QueryableStore store, int partition, CompletableFuture<R> future) {
        try {
            return future.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw unavailable(store, partition, "the worker holding partition " + partition + " of store '"
                    + store.name() + "' did not answer within " + timeoutMs + " ms (it is restoring, busy or"
                    + " restarting); try again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(store, partition, "interrupted while waiting for the worker");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof JobWorker.NotAssignedException) {
                throw new MovedException();
            }
            if (cause instanceof JobWorker.NotRunningException notRunning) {
                throw unavailable(store, partition, "partition " + partition + " of store '" + store.name()
                        + "' cannot be read now: " + notRunning.getMessage() + "; try again");
            }
            throw new IllegalStateException("reading store " + store.name() + " of job " + job + " failed", cause);
        }
    }

    private int partitionOf(QueryableStore store, Bytes key) {
        return Utils.toPositive(Utils.murmur2(key.get())) % partitions(store);
    }

    private JobWorker anyWorker(QueryableStore store, int partition) {
        List<JobWorker> running = workers.get();
        if (plan == null || running.isEmpty()) {
            throw unavailable(store, partition, "job '" + job + "' is not running (it is starting, waiting for its"
                    + " topics, stopped or rejected)");
        }
        return running.get(0);
    }

    private StoreUnavailableException unavailable(QueryableStore store, int partition, String reason) {
        return new StoreUnavailableException(job, store.name(), partition, "Store '" + store.name() + "' of job '"
                + job + "' is unavailable: " + reason);
    }

    private static void requireKind(QueryableStore store, QueryableStore.Kind kind, String instead) {
        if (store.kind() != kind) {
            throw new InvalidStoreQueryException("store '" + store.name() + "' is a " + store.kind().name()
                    .toLowerCase(java.util.Locale.ROOT).replace('_', '-') + " store; query " + instead);
        }
    }

    private static void requireLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidStoreQueryException("limit must be 1.." + MAX_LIMIT + ", got " + limit);
        }
    }

    private static long parseTimeCursor(String cursor) {
        try {
            return Long.parseLong(cursor);
        } catch (NumberFormatException e) {
            throw new InvalidStoreQueryException("cursor '" + cursor + "' is not one this store's pages return");
        }
    }

    /** The most rows one page may have. */
    public static final int MAX_LIMIT = 1000;

    /** Where a partition is read: a local worker, else the URL of the instance holding it. */
    private record Owner(JobWorker worker, String url) {
    }

    /** A worker no longer held the partition when its read came up: route again. */
    private static final class MovedException extends RuntimeException {
        MovedException() {
            super(null, null, false, false);
        }
    }
}
