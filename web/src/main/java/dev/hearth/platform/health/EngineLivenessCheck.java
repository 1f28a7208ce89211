package dev.hearth.platform.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import dev.hearth.connector.api.BrokerStatus;
import dev.hearth.platform.boundary.BrokerStatusProbe;

/**
 * Live unless the engine failed for good (it could not open its data directory). Starting up counts as
 * live, so an orchestrator does not restart a server that is still recovering a large log.
 */
@Liveness
@ApplicationScoped
public class EngineLivenessCheck implements HealthCheck {

    @Inject
    BrokerStatusProbe probe;

    @Override
    public HealthCheckResponse call() {
        BrokerStatus status = probe.status();
        return HealthCheckResponse.named("hearth-engine")
                .status(status.state() != BrokerStatus.State.FAILED)
                .withData("state", status.state().name())
                .build();
    }
}
