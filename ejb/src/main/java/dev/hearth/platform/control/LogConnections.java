package dev.hearth.platform.control;

import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.resource.ResourceException;

import dev.hearth.connector.api.HearthConnection;
import dev.hearth.connector.api.HearthConnectionException;
import dev.hearth.connector.api.HearthConnectionFactory;
import dev.hearth.connector.api.HearthError;

/**
 * Runs work on a pooled connection to the adapter and always closes it. The JNDI name is bound by the
 * deployment descriptors (web.xml on Payara Micro, application.xml in the EAR). Thread-safe.
 */
@ApplicationScoped
public class LogConnections {

    public static final String FACTORY_JNDI = "java:app/hearth/ConnectionFactory";

    @Resource(lookup = FACTORY_JNDI)
    HearthConnectionFactory factory;

    public <T> T apply(Function<HearthConnection, T> work) {
        try (HearthConnection connection = open()) {
            return work.apply(connection);
        }
    }

    public void accept(Consumer<HearthConnection> work) {
        try (HearthConnection connection = open()) {
            work.accept(connection);
        }
    }

    private HearthConnection open() {
        try {
            return factory.getConnection();
        } catch (ResourceException e) {
            throw new HearthConnectionException(HearthError.NOT_AVAILABLE,
                    "No connection to the Hearth resource adapter: " + e.getMessage(), Map.of());
        }
    }
}
