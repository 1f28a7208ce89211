package dev.hearth.connector.api;

import java.io.Serializable;

import jakarta.resource.Referenceable;
import jakarta.resource.ResourceException;

/**
 * Entry point applications inject ({@code @Resource(lookup = "java:app/hearth/ConnectionFactory")}) to
 * produce to and administer Hearth's log. Thread-safe; connections are pooled by the container, so get one
 * per unit of work and close it.
 */
public interface HearthConnectionFactory extends Serializable, Referenceable {

    HearthConnection getConnection() throws ResourceException;
}
