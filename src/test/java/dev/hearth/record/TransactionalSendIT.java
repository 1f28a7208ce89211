package dev.hearth.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.hearth.connector.api.HearthConnection;
import dev.hearth.connector.api.HearthConnectionFactory;
import dev.hearth.connector.api.HearthRecord;

/**
 * Records sent through the connection factory inside a JTA transaction are part of it: they become
 * visible with the database row written in the same transaction, and a rollback removes both.
 */
@ExtendWith(ArquillianExtension.class)
class TransactionalSendIT {

    @EJB
    OrderService orders;

    @Resource(lookup = "java:app/hearth/ConnectionFactory")
    HearthConnectionFactory factory;

    @Resource(lookup = "java:comp/DefaultDataSource")
    DataSource dataSource;

    @Deployment
    static WebArchive hearthWarWithOrderService() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("hearth.war")))
                .addClasses(TransactionalSendIT.class, OrderService.class);
    }

    @Test
    void recordsAndDatabaseRowsCommitOrRollBackTogether() throws Exception {
        orders.createSchema();
        try (HearthConnection connection = factory.getConnection()) {
            connection.createTopic("xa-orders", 1, Map.of());
        }
        orders.place("A-1", false);
        assertThrows(EJBException.class, () -> orders.place("B-2", true), "the failing order rolls back");
        orders.place("C-3", false);

        List<String> sent = new ArrayList<>();
        try (HearthConnection connection = factory.getConnection()) {
            for (HearthRecord record : connection.read("xa-orders", 0, 0, 100, 1 << 20)) {
                sent.add(new String(record.key(), StandardCharsets.UTF_8));
            }
        }
        assertEquals(List.of("A-1", "C-3"), sent, "read-committed readers see the committed orders' records only");
        assertEquals(List.of("A-1", "C-3"), rows(), "the database has exactly the committed orders too");
    }

    private List<String> rows() throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT order_id FROM placed_orders ORDER BY order_id")) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }
}
