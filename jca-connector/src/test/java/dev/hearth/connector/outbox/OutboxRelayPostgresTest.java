package dev.hearth.connector.outbox;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.postgresql.ds.PGSimpleDataSource;

import dev.hearth.testing.PostgresServer;

/**
 * {@link OutboxRelayTest}'s cases on a real PostgreSQL server (the outbox's SQL, row locks and isolation are the
 * database's): one server for the class, the outbox's tables dropped before each case.
 */
class OutboxRelayPostgresTest extends OutboxRelayTest {

    private static PostgresServer postgres;

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    DataSource openDatabase(Path directory) throws SQLException {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setURL(postgres.jdbcUrl());
        source.setUser(postgres.user());
        try (Connection connection = source.getConnection(); Statement statement = connection.createStatement()) {
            for (String table : new String[] {OutboxTables.RECORDS, OutboxTables.SHARDS, OutboxTables.LEASES}) {
                statement.execute("DROP TABLE IF EXISTS " + table);
            }
        }
        return source;
    }

    @Override
    void closeDatabase(DataSource database) {
        // The server outlives the case; the next case drops the tables.
    }
}
