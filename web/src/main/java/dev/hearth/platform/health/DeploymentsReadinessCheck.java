package dev.hearth.platform.health;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import javax.naming.InitialContext;
import javax.naming.NamingException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready until Hearth's own application and every application deployed next to it have started:
 * {@code hearth.applications} names the others (bin/hearth sets it from the archives it was given, as Payara names
 * them: file name without extension). A failed deployment leaves Payara Micro running and logging "Deployed n
 * archive(s)" (which it logs once the archives are loaded, before any of them starts); this check is what makes it
 * visible. The data lists the applications {@code started}, still {@code deploying} and {@code failed},
 * comma-separated.
 *
 * <p>Hearth's own application is in the list because Payara serves health as soon as hearth.war's checks are
 * registered, seconds before the application starts: in between it calls them outside the application's context,
 * leaves out of the response every check that throws (the engine check does), and would answer UP. So this check
 * must not throw there: it touches no injected resource and, without the application's naming context, is DOWN.
 *
 * <p>Payara Micro loads its archives one after the other, then starts them, then runs its post-deploy commands;
 * bin/hearth's (bin/payara-postdeploy.txt) set the system property {@value #DEPLOYMENTS_COMPLETE}. Before that an
 * application that has not started may still be deploying; after it, it failed (Payara rolled it back). Always UP
 * when no application is configured, Hearth has started and the registry cannot be asked (another server may hide
 * it). With applications configured it is UP only after the post-deploy commands ran: the registry reports an
 * application running once it is loaded, seconds before its web module answers requests.
 *
 * <p>Thread-safe: besides injected configuration, its only state is the application's name, cached in a volatile
 * field once looked up (racing lookups find the same name).
 */
@Readiness
@ApplicationScoped
public class DeploymentsReadinessCheck implements HealthCheck {

    /** System property, {@code true} once Payara Micro has deployed (or failed to deploy) every archive. */
    static final String DEPLOYMENTS_COMPLETE = "hearth.deployments.complete";
    /** How the data names Hearth's own application while its real name cannot be looked up yet. */
    private static final String OWN_LABEL = "hearth";

    @Inject
    DeployedApplications deployed;

    /** This application's name as the server knows it ({@code hearth}, or the EAR's name), once looked up. */
    private volatile String ownApplication;

    /** Comma-separated application names (a String: Payara's MP Config cannot inject {@code Optional<List<String>>}). */
    @Inject
    @ConfigProperty(name = "hearth.applications")
    Optional<String> applications;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("hearth-deployments");
        // Read before the registry: an application not running after deployments completed did fail.
        boolean deploymentsComplete = Boolean.getBoolean(DEPLOYMENTS_COMPLETE);
        List<String> others = configured();
        String own = ownApplication();
        if (own == null) {
            // Called outside this application's context: Payara does that until the application has started.
            return response.down().withData("deploying", String.join(",", withOwn(OWN_LABEL, others))).build();
        }
        if (!deployed.isAvailable() && others.isEmpty()) {
            // Hearth has started (its context is there) and there is nothing else to wait for.
            return response.up().withData("unverified", "the server's application registry is not visible").build();
        }
        List<String> expected = withOwn(own, others);
        List<String> started = new ArrayList<>();
        List<String> notStarted = new ArrayList<>();
        try {
            for (String application : expected) {
                (deployed.isRunning(application) ? started : notStarted).add(application);
            }
        } catch (IllegalStateException e) {
            return response.down().withData("error", e.getMessage()).build();
        }
        withList(response, "started", started);
        withList(response, deploymentsComplete ? "failed" : "deploying", notStarted);
        if (notStarted.isEmpty() && !others.isEmpty() && !deploymentsComplete) {
            // The registry counts an application as running once loaded, seconds before its web module serves:
            // only the post-deploy commands, which run after every archive started, say the others do.
            return response.down().withData("starting", String.join(",", others)).build();
        }
        return response.status(notStarted.isEmpty()).build();
    }

    private static void withList(HealthCheckResponseBuilder response, String key, List<String> applications) {
        if (!applications.isEmpty()) {
            response.withData(key, String.join(",", applications));
        }
    }

    /** This application's name, or null while its naming context is not there (it has not started). */
    private String ownApplication() {
        String name = ownApplication;
        if (name == null) {
            try {
                name = (String) new InitialContext().lookup("java:app/AppName");
                ownApplication = name;
            } catch (NamingException e) {
                return null;
            }
        }
        return name;
    }

    private static List<String> withOwn(String own, List<String> others) {
        List<String> all = new ArrayList<>();
        all.add(own);
        others.stream().filter(name -> !name.equals(own)).forEach(all::add);
        return all;
    }

    /** The applications deployed next to Hearth, in deployment order. */
    private List<String> configured() {
        return applications.stream().flatMap(names -> Arrays.stream(names.split(",")))
                .map(String::strip).filter(name -> !name.isEmpty()).distinct().toList();
    }
}
