package dev.hearth.platform.boundary;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import dev.hearth.connector.api.ClusterInfo;
import dev.hearth.platform.control.LogConnections;

/** The cluster's identity and size for the REST API and the console. */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ClusterAdmin {

    @Inject
    LogConnections connections;

    public ClusterInfo info() {
        return connections.apply(connection -> connection.clusterInfo());
    }
}
