package dev.hearth.connector.inbound;

import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.logging.Logger;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import dev.hearth.group.TopicPartitionKey;

/**
 * The consumed offsets of a transacted message-driven bean, kept in the application's own database and written in
 * the delivery's JTA transaction (activation property {@code offsetsDataSource}): the bean's rows and the offset
 * that says they were written commit in one database transaction, so no transaction manager has to decide
 * anything after a crash. This is Hearth's mechanism for exactly-once into an application's database; it holds
 * for non-XA data sources (one local transaction) and XA ones alike, and does not depend on Payara's transaction
 * log. With an XA data source Payara shares the enlisted connection within the transaction (resources are
 * shareable by default, and the claim and the bean look up the same data source), so the offset row and the bean's
 * rows are one branch, committed in one phase, on one database session.
 *
 * <p>The database must commit atomically across a crash. H2 with a write delay does not: it commits into memory and
 * a background thread writes the store every {@code WRITE_DELAY} ms (500 by default), and a kill -9 during such a
 * write kept part of one transaction (the bean's row without its offset row, so the record was applied twice). With
 * {@code WRITE_DELAY=0} each commit is written by the committing thread before it returns, as for Hearth's own
 * database; an H2 data source with a write delay is reported at first use (HEARTH-0736).
 *
 * <p>Format: table {@value #TABLE} ({@code group_id VARCHAR(255), topic_name VARCHAR(255), partition_id INT,
 * next_offset BIGINT}, primary key {@code group_id, topic_name, partition_id}), created on first use. A row's
 * {@code next_offset} is the offset of the first record of that partition whose effects are not in the database.
 *
 * <p>Invariant: a row changes only inside a delivery transaction that also runs the bean on the records below its
 * new value, so the committed row and the committed effects never disagree. Hearth's own group offsets may lag
 * the row (they are committed after the transaction); a delivery whose records are all below the row is skipped
 * without calling the bean, and the dispatcher continues at the row's offset. The first delivery of a partition
 * after its assignment also checks the other way: a row behind the group's offset (the database lost its last
 * commits) sends the consumer back to the row. The consumer thus seeks from the table, and a crash at any instant
 * loses nothing and applies nothing twice. Later gaps between the row and a delivery (control batches, records
 * dead-lettered after their retries, retention) only move the row forward.
 *
 * <p>Thread-safety: {@link #claim} runs on the delivering thread between {@code beforeDelivery} and
 * {@code afterDelivery}, the only place where the bean's {@code java:comp}/{@code java:app} names resolve; the data
 * source and the synchronization registry are looked up there once and cached (both are thread-safe). The dispatcher
 * delivers a partition on one thread at a time; the row is read {@code FOR UPDATE}, so another member still
 * delivering the partition during a rebalance waits for this transaction and then sees its offset.
 */
final class OffsetTable {

    static final String TABLE = "hearth_consumer_offsets";
    private static final Logger LOG = Logger.getLogger(OffsetTable.class.getName());
    private static final String CREATE = "CREATE TABLE IF NOT EXISTS " + TABLE + " (group_id VARCHAR(255) NOT NULL, "
            + "topic_name VARCHAR(255) NOT NULL, partition_id INT NOT NULL, next_offset BIGINT NOT NULL, "
            + "PRIMARY KEY (group_id, topic_name, partition_id))";
    private static final String SELECT = "SELECT next_offset FROM " + TABLE
            + " WHERE group_id = ? AND topic_name = ? AND partition_id = ? FOR UPDATE";
    private static final String INSERT = "INSERT INTO " + TABLE
            + " (group_id, topic_name, partition_id, next_offset) VALUES (?, ?, ?, ?)";
    private static final String UPDATE = "UPDATE " + TABLE
            + " SET next_offset = ? WHERE group_id = ? AND topic_name = ? AND partition_id = ?";

    /** JNDI name of the bean's data source, as the bean itself would look it up. */
    private final String dataSourceName;
    private volatile DataSource dataSource;
    private volatile TransactionSynchronizationRegistry registry;
    /** Whether {@value #TABLE} is known to exist. */
    private volatile boolean tableReady;

    OffsetTable(String dataSourceName) {
        this.dataSourceName = dataSourceName;
    }

    String dataSourceName() {
        return dataSourceName;
    }

    /** The outcome of one delivery transaction, known once the container completed it. */
    static final class Outcome implements Synchronization {
        private volatile int status = Status.STATUS_UNKNOWN;

        @Override
        public void beforeCompletion() {
            // Nothing to flush: the offset row was written in claim.
        }

        @Override
        public void afterCompletion(int status) {
            this.status = status;
        }

        boolean committed() {
            return status == Status.STATUS_COMMITTED;
        }
    }

    /**
     * A claim on records {@code [firstOffset, nextOffset)} of a partition.
     *
     * @param appliedBelow the row's offset before this transaction (-1 without a row): records below it were applied
     *                     by an earlier transaction and must not reach the bean again
     * @param outcome      tells after {@code afterDelivery} whether this transaction committed
     */
    record Claim(long appliedBelow, Outcome outcome, boolean behind) {
    }

    /**
     * Inside the delivery transaction: locks the partition's row and, unless every record is already applied,
     * moves it to {@code nextOffset}; registers for the transaction's outcome. With {@code mayRewind} (the first
     * delivery of a partition after it was assigned) a row below {@code firstOffset} is left alone and the claim
     * says {@code behind}: the database lost or never had what Hearth's group offset claims (an embedded database
     * that loses its last commits in a kill -9, for one), so the consumer must go back to the row's offset.
     */
    Claim claim(String groupId, TopicPartitionKey partition, long firstOffset, long nextOffset, boolean mayRewind)
            throws SQLException, NamingException {
        DataSource source = dataSource();
        Outcome outcome = new Outcome();
        registry.registerInterposedSynchronization(outcome);
        try (Connection connection = source.getConnection()) {
            long stored = -1;
            try (PreparedStatement select = connection.prepareStatement(SELECT)) {
                bindKey(select, 1, groupId, partition);
                try (ResultSet row = select.executeQuery()) {
                    if (row.next()) {
                        stored = row.getLong(1);
                    }
                }
            }
            if (mayRewind && stored >= 0 && stored < firstOffset) {
                return new Claim(stored, outcome, true);
            }
            if (stored < 0) {
                try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                    bindKey(insert, 1, groupId, partition);
                    insert.setLong(4, nextOffset);
                    insert.executeUpdate();
                }
            } else if (stored < nextOffset) {
                try (PreparedStatement update = connection.prepareStatement(UPDATE)) {
                    update.setLong(1, nextOffset);
                    bindKey(update, 2, groupId, partition);
                    update.executeUpdate();
                }
            }
            return new Claim(stored, outcome, false);
        }
    }

    /** Marks the current delivery transaction rollback-only (a claim failed half-way). */
    void setRollbackOnly() {
        TransactionSynchronizationRegistry current = registry;
        if (current != null) {
            current.setRollbackOnly();
        }
    }

    private static void bindKey(PreparedStatement statement, int first, String groupId, TopicPartitionKey partition)
            throws SQLException {
        statement.setString(first, groupId);
        statement.setString(first + 1, partition.topic());
        statement.setInt(first + 2, partition.partition());
    }

    private DataSource dataSource() throws NamingException, SQLException {
        DataSource source = dataSource;
        if (source == null) {
            InitialContext context = new InitialContext();
            registry = (TransactionSynchronizationRegistry) context.lookup("java:comp/TransactionSynchronizationRegistry");
            source = (DataSource) context.lookup(dataSourceName);
            dataSource = source;
        }
        if (!tableReady) {
            createTable(source);
            tableReady = true;
        }
        return source;
    }

    /**
     * Creates the table outside the delivery transaction (DDL commits implicitly in some databases): on Payara's
     * non-transactional connection when the data source offers one, else on an ordinary connection before the
     * transaction did anything.
     */
    private void createTable(DataSource source) throws SQLException {
        Connection connection;
        boolean outsideTransaction;
        try {
            Method nonTx = source.getClass().getMethod("getNonTxConnection");
            connection = (Connection) nonTx.invoke(source);
            outsideTransaction = true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            connection = source.getConnection();
            outsideTransaction = false;
        }
        long writeDelayMs;
        try (Connection open = connection; Statement statement = open.createStatement()) {
            statement.execute(CREATE);
            if (outsideTransaction && !open.getAutoCommit()) {
                open.commit();
            }
            writeDelayMs = h2WriteDelayMs(open);
        }
        LOG.info(() -> "HEARTH-0735 Consumed offsets of transacted deliveries are kept in " + TABLE + " of "
                + dataSourceName);
        if (writeDelayMs > 0) {
            LOG.warning(() -> "HEARTH-0736 " + dataSourceName + " is an H2 database with WRITE_DELAY=" + writeDelayMs
                    + " ms: H2 then writes commits in the background, and a crash during such a write can keep the "
                    + "bean's rows of a delivery without its offset, so that its records are applied twice. For "
                    + "exactly-once add ;WRITE_DELAY=0 to the data source's URL");
        }
    }

    /**
     * The write delay of an H2 database in milliseconds (the largest of the current and the stored setting), or -1
     * for any other database. Zero means that each commit is written before it returns.
     */
    static long h2WriteDelayMs(Connection connection) throws SQLException {
        if (!"H2".equals(connection.getMetaData().getDatabaseProductName())) {
            return -1;
        }
        long writeDelayMs = -1;
        try (Statement statement = connection.createStatement();
             ResultSet settings = statement.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS "
                     + "WHERE SETTING_NAME = 'WRITE_DELAY'")) {
            while (settings.next()) {
                writeDelayMs = Math.max(writeDelayMs, Long.parseLong(settings.getString(1).trim()));
            }
        }
        return writeDelayMs;
    }
}
