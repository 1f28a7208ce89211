package dev.hearth.connect.replica;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

/**
 * The replica's database: PostgreSQL through its XA data source ({@code PGXADataSource}, the driver in the WAR), at
 * the URL the test names through MicroProfile Config ({@code replica.db.url}, a system property of the server), so
 * the bean's writes commit in its JTA transaction. Creates schema {@code replica} at deployment:
 * <pre>
 *   replica.customers   (id PK, name, email, version)   the copy of the source's public.customers
 *   replica.applied     (id PK, last_lsn)               per key, the source LSN of the last change applied; kept
 *                                                       after a delete, so an older event re-emitted later is
 *                                                       recognised
 *   replica.deliveries  (arrival PK, id, lsn, op,       one row per change event delivered and committed, in
 *                        version, skipped, record_offset)  delivery order; skipped = an event at or below last_lsn
 * </pre>
 */
@DataSourceDefinition(name = ReplicaDatabase.JNDI_NAME, className = "org.postgresql.xa.PGXADataSource",
        url = "${MPCONFIG=replica.db.url}", user = "hearth", password = "", transactional = true, maxPoolSize = 4)
@Singleton
@Startup
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ReplicaDatabase {

    public static final String JNDI_NAME = "java:app/jdbc/replica";

    @Resource(lookup = JNDI_NAME)
    DataSource dataSource;

    @PostConstruct
    void createTables() {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS replica");
            statement.execute("CREATE TABLE IF NOT EXISTS replica.customers (id BIGINT PRIMARY KEY, name TEXT NOT NULL,"
                    + " email TEXT NOT NULL, version INT NOT NULL)");
            statement.execute("CREATE TABLE IF NOT EXISTS replica.applied (id BIGINT PRIMARY KEY,"
                    + " last_lsn BIGINT NOT NULL)");
            statement.execute("CREATE TABLE IF NOT EXISTS replica.deliveries (arrival BIGSERIAL PRIMARY KEY,"
                    + " id BIGINT NOT NULL, lsn BIGINT NOT NULL, op CHAR(1) NOT NULL, version INT,"
                    + " skipped BOOLEAN NOT NULL, record_offset BIGINT NOT NULL)");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create the replica's tables", e);
        }
    }
}
