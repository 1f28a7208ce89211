package dev.hearth.job.exec;

import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Status;
import org.rocksdb.WriteBatchWithIndex;
import org.rocksdb.WriteOptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * What every persistent store has: one RocksDB database in its own directory under the task's
 * {@link TaskStateDirectory}, with the column families its subclass names (the first is RocksDB's default one),
 * and a {@link WriteBatchWithIndex} that holds the writes since the last {@link #flush()}.
 * <p>
 * Reads go through the batch to the database ({@link #get}, {@link #iterator}), so a store reads its own
 * uncommitted writes. <b>The database holds committed state only</b>: {@link #flush()} emits the changelog
 * records write-behind stores owe ({@link #emitChangelog}) but leaves the batch alone; only
 * {@link #writeCommitted()}, called once the transaction holding those changelog records has committed, writes the
 * batch in one atomic RocksDB write (WAL on, not synced: the WAL is synced only before a checkpoint names the
 * state, {@link #syncWal}). An aborted transaction's writes die with the batch. Restore writes (committed by
 * definition) go through the same batch, written every {@value #RESTORE_BATCH_RECORDS} records and at
 * {@link #finishRestore}.
 * <p>
 * A database that fails to open because of its files (corruption, a format from another RocksDB) is deleted and
 * created empty ({@link #hadLocalState()} then says so, and the task restores it from the whole changelog); any
 * other failure (a lock another task of this process still holds, I/O) fails the task instead.
 * <p>
 * Native handles are freed by {@link #close()}, which the task calls on close; a closed store must not be used.
 * Thread-safety: confined to the task's thread, as every store.
 */
abstract class RocksDbStore extends ChangelogBackedStore implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RocksDbStore.class.getName());
    static final int RESTORE_BATCH_RECORDS = 10_000;

    static {
        RocksDB.loadLibrary();
    }

    private final TaskStateDirectory taskDirectory;
    private final Path directory;
    private final List<String> columnFamilies;
    private DBOptions options;
    private ColumnFamilyOptions columnFamilyOptions;
    private final WriteOptions writeOptions = new WriteOptions();
    private final ReadOptions readOptions = new ReadOptions();
    protected final WriteBatchWithIndex batch = new WriteBatchWithIndex(true); // a key's latest write only
    private RocksDB db;
    private final List<ColumnFamilyHandle> handles = new ArrayList<>();
    private boolean hadLocalState;     // the database existed and opened: a checkpoint may describe it
    private int restoredSinceWrite;    // restore records in the batch

    /**
     * @param columnFamilies column families, the first being {@link RocksDB#DEFAULT_COLUMN_FAMILY} ("default")
     */
    RocksDbStore(String name, String changelogTopic, TaskContext context, TaskStateDirectory taskDirectory,
                 List<String> columnFamilies) {
        super(name, changelogTopic, context);
        this.taskDirectory = taskDirectory;
        this.directory = taskDirectory.storeDirectory(name);
        this.columnFamilies = columnFamilies;
        try {
            open();
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    private void open() {
        boolean existed = Files.exists(directory.resolve("CURRENT"));
        try {
            Files.createDirectories(directory);
            openDatabase();
            hadLocalState = existed;
        } catch (RocksDBException e) {
            closeDatabase();
            if (!isDamage(e)) {
                // E.g. the lock of a store another task of this process still holds: never delete under it.
                throw new StateStoreException("cannot open local store " + directory, e);
            }
            LOG.warning(() -> "HEARTH-1022 Local store " + directory + " cannot be opened (" + e.getMessage()
                    + "); deleting it, it will be restored from " + changelogTopic);
            closeDatabase();
            StateDirectory.delete(directory);
            try {
                Files.createDirectories(directory);
                openDatabase();
            } catch (RocksDBException | IOException again) {
                throw new StateStoreException("cannot create local store " + directory, again);
            }
            hadLocalState = false;
        } catch (IOException e) {
            throw new StateStoreException("cannot create local store " + directory, e);
        }
    }

    /**
     * Whether opening failed because of the files themselves (corrupt, missing, a foreign format), not the
     * environment: a lock held elsewhere, permissions, a full disk.
     */
    private static boolean isDamage(RocksDBException e) {
        Status.Code code = e.getStatus() == null ? null : e.getStatus().getCode();
        if (code == Status.Code.Corruption || code == Status.Code.InvalidArgument
                || code == Status.Code.NotSupported) {
            return true;
        }
        String message = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        return code == Status.Code.IOError && !message.contains("lock") && !message.contains("permission")
                && !message.contains("no space");
    }

    private void openDatabase() throws RocksDBException {
        options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
                .setKeepLogFileNum(2).setMaxOpenFiles(256);
        columnFamilyOptions = new ColumnFamilyOptions().setWriteBufferSize(16L * 1024 * 1024);
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>(columnFamilies.size());
        for (String family : columnFamilies) {
            descriptors.add(new ColumnFamilyDescriptor(family.equals("default") ? RocksDB.DEFAULT_COLUMN_FAMILY
                    : family.getBytes(StandardCharsets.UTF_8), columnFamilyOptions));
        }
        db = RocksDB.open(options, directory.toString(), descriptors, handles);
    }

    /** Whether the store opened local state left by an earlier task (which a checkpoint may describe). */
    final boolean hadLocalState() {
        return hadLocalState;
    }

    /** Column family {@code index} of those given to the constructor. */
    final ColumnFamilyHandle family(int index) {
        return handles.get(index);
    }

    /** The value of {@code key} in {@code family}, unflushed writes included; {@code null} if absent. */
    final byte[] get(ColumnFamilyHandle family, byte[] key) {
        try {
            return batch.getFromBatchAndDB(db, family, readOptions, key);
        } catch (RocksDBException e) {
            throw failure(e);
        }
    }

    /** An iterator over {@code family}, unflushed writes included; close it. */
    final RocksIterator iterator(ColumnFamilyHandle family) {
        return batch.newIteratorWithBase(family, db.newIterator(family, readOptions));
    }

    final void put(ColumnFamilyHandle family, byte[] key, byte[] value) {
        try {
            batch.put(family, key, value);
        } catch (RocksDBException e) {
            throw failure(e);
        }
    }

    final void delete(ColumnFamilyHandle family, byte[] key) {
        try {
            batch.delete(family, key);
        } catch (RocksDBException e) {
            throw failure(e);
        }
    }

    /**
     * Write-behind stores emit here, from the batch, the changelog records of the entries changed since the last
     * commit. Called by {@link #flush()}, once per transaction.
     */
    void emitChangelog() {
    }

    /** Emits what the changelog is owed; the writes stay in the batch until {@link #writeCommitted()}. */
    @Override
    public final void flush() {
        emitChangelog();
    }

    /** The transaction that holds every changelog record emitted so far has committed: write them to disk. */
    final void writeCommitted() {
        write();
    }

    /** Counts one restored record into the batch, writing the batch when it is large. */
    final void restored() {
        if (++restoredSinceWrite >= RESTORE_BATCH_RECORDS) {
            write();
        }
    }

    /** Writes what restore left in the batch; called once the changelog has been read to its end. */
    void finishRestore() {
        write();
    }

    private void write() {
        restoredSinceWrite = 0;
        if (batch.count() == 0) {
            return;
        }
        try {
            db.write(writeOptions, batch);
        } catch (RocksDBException e) {
            throw failure(e);
        }
        batch.clear();
    }

    /** Makes everything written so far durable, before a checkpoint names it. */
    final void syncWal() {
        try {
            db.flushWal(true);
        } catch (RocksDBException e) {
            throw failure(e);
        }
    }

    /** Deletes everything the store holds, on disk too, and opens it empty. */
    final void wipe() {
        taskDirectory.invalidateCheckpoint();
        batch.clear();
        closeDatabase();
        StateDirectory.delete(directory);
        open();
        hadLocalState = false;
        reloaded();
    }

    /** Hook after {@link #wipe()}: a subclass re-reads what it caches of the database (counters, bounds). */
    void reloaded() {
    }

    /** Frees the native handles; writes not yet committed are dropped (their transaction did not commit). */
    @Override
    public void close() {
        closeDatabase();
        batch.close();
        writeOptions.close();
        readOptions.close();
    }

    private void closeDatabase() {
        for (ColumnFamilyHandle handle : handles) {
            handle.close();
        }
        handles.clear();
        if (db != null) {
            db.close();
            db = null;
        }
        if (columnFamilyOptions != null) {
            columnFamilyOptions.close();
            columnFamilyOptions = null;
        }
        if (options != null) {
            options.close();
            options = null;
        }
    }

    final StateStoreException failure(RocksDBException e) {
        return new StateStoreException("local store " + directory + " failed", e);
    }

    /** Big-endian {@code value} with its sign bit flipped: unsigned byte order is then numeric order. */
    static void putOrderedLong(byte[] target, int offset, long value) {
        long ordered = value ^ Long.MIN_VALUE;
        for (int i = 7; i >= 0; i--) {
            target[offset + i] = (byte) ordered;
            ordered >>>= 8;
        }
    }

    static long getOrderedLong(byte[] source, int offset) {
        return getLong(source, offset) ^ Long.MIN_VALUE;
    }

    static void putLong(byte[] target, int offset, long value) {
        for (int i = 7; i >= 0; i--) {
            target[offset + i] = (byte) value;
            value >>>= 8;
        }
    }

    static long getLong(byte[] source, int offset) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (source[offset + i] & 0xff);
        }
        return value;
    }

    static void putInt(byte[] target, int offset, int value) {
        for (int i = 3; i >= 0; i--) {
            target[offset + i] = (byte) value;
            value >>>= 8;
        }
    }

    /** Whether {@code key} starts with {@code prefix}. */
    static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && java.util.Arrays.equals(key, 0, prefix.length, prefix, 0,
                prefix.length);
    }
}
