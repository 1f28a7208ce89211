package dev.hearth.record.outboxapp;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.resource.ResourceException;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Application;

import dev.hearth.connector.api.HearthConnection;
import dev.hearth.connector.api.HearthConnectionFactory;

/**
 * {@code POST /api/events/{account}/{seq}}: in one JTA transaction, a row {@code (account, seq)} in the application's
 * database and a record (key: the account, value: the sequence number) sent to topic {@code account-events};
 * {@code ?fail=true} throws after both, so the transaction rolls back.
 */
@Path("events")
public class AccountEvents {

    @Resource(lookup = "java:global/hearth/ConnectionFactory")
    HearthConnectionFactory factory;

    @Resource(lookup = AccountsDatabase.JNDI_NAME)
    DataSource dataSource;

    @POST
    @Path("{account}/{seq}")
    @Transactional
    public String record(@PathParam("account") String account, @PathParam("seq") int seq,
                         @QueryParam("fail") boolean fail) throws ResourceException, SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO account_event (account, seq) VALUES (?, ?)")) {
            insert.setString(1, account);
            insert.setInt(2, seq);
            insert.executeUpdate();
        }
        try (HearthConnection connection = factory.getConnection()) {
            connection.send("account-events", account.getBytes(StandardCharsets.UTF_8),
                    Integer.toString(seq).getBytes(StandardCharsets.UTF_8), Map.of());
        }
        if (fail) {
            throw new BadRequestException("failed on purpose after the insert and the send");
        }
        return account + "/" + seq;
    }

    /** The application's JAX-RS root. */
    @ApplicationPath("api")
    public static class Api extends Application {
    }
}
