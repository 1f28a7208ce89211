package dev.hearth.platform.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.hearth.connector.api.BrokerStatus;
import dev.hearth.platform.boundary.BrokerStatusProbe;

/** Ready once the adapter's engine has finished recovery and serves requests. */
@Readiness
@ApplicationScoped
public class EngineReadinessCheck implements HealthCheck {

    @Inject
    BrokerStatusProbe probe;

    @Override
    public HealthCheckResponse call() {
        BrokerStatus status = probe.status();
        return HealthCheckResponse.named("hearth-engine")
                .status(status.state() == BrokerStatus.State.RUNNING)
                .withData("state", status.state().name())
                .withData("detail", String.valueOf(status.detail()))
                .withData("offlinePartitions", status.offlinePartitions())
                .build();
    }
}
