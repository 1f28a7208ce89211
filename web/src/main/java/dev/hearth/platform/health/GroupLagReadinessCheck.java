package dev.hearth.platform.health;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.hearth.connector.api.HearthConnectionException;
import dev.hearth.connector.api.HearthError;
import dev.hearth.group.boundary.GroupAdmin;

/**
 * Optional: not ready while one of the consumer groups named in {@code hearth.health.lag.groups} is more than
 * {@code hearth.health.lag.max.records} records behind (summed over its partitions), so that a load balancer
 * can stop sending work to an instance whose consumers fall behind. Always UP when no group is configured; a
 * configured group that does not exist yet counts as no lag.
 */
@Readiness
@ApplicationScoped
public class GroupLagReadinessCheck implements HealthCheck {

    @Inject
    GroupAdmin groups;

    /** Comma-separated group ids (a String: Payara's MP Config cannot inject {@code Optional<List<String>>}). */
    @Inject
    @ConfigProperty(name = "hearth.health.lag.groups")
    Optional<String> watchedGroups;

    @Inject
    @ConfigProperty(name = "hearth.health.lag.max.records", defaultValue = "10000")
    long maxLagRecords;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("hearth-group-lag").up()
                .withData("maxLagRecords", maxLagRecords);
        for (String group : watched()) {
            long lag = lag(group);
            response.withData(group, lag);
            if (lag > maxLagRecords) {
                response.down();
            }
        }
        return response.build();
    }

    private List<String> watched() {
        return watchedGroups.stream().flatMap(groups -> Arrays.stream(groups.split(",")))
                .map(String::strip).filter(group -> !group.isEmpty()).toList();
    }

    private long lag(String group) {
        try {
            return groups.describe(group).totalLag();
        } catch (HearthConnectionException e) {
            if (e.error() == HearthError.GROUP_NOT_FOUND) {
                return 0;
            }
            throw e;
        }
    }
}
