package dev.hearth.platform.rest;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The cluster id that REST paths must name ({@code hearth.cluster.id}); other ids are 404s. */
@ApplicationScoped
public class ClusterPath {

    @Inject
    @ConfigProperty(name = "hearth.cluster.id", defaultValue = "hearth")
    String clusterId;

    public void require(String requested) {
        if (!clusterId.equals(requested)) {
            Response problem = Problem.response(404, "unknown-cluster", "Unknown cluster",
                    "This server is cluster '" + clusterId + "', not '" + requested + "'",
                    Map.of("cluster_id", clusterId), null);
            throw new jakarta.ws.rs.WebApplicationException(problem);
        }
    }

    public String id() {
        return clusterId;
    }
}
