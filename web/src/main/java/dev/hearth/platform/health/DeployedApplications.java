package dev.hearth.platform.health;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

import jakarta.enterprise.context.Dependent;

/**
 * What the application server says about one application: deployed and started, or not. It asks Payara's
 * application registry ({@code org.glassfish.internal.data.ApplicationRegistry}, found through
 * {@code org.glassfish.internal.api.Globals}): an application is in it from the moment it is loaded until it is
 * undeployed, and {@code isRunning()} is true once every module started. A deployment that failed is rolled back
 * and is not in the registry at all, so "not running" covers failed, still deploying and never deployed.
 *
 * <p>That registry is Payara's internal API, which no Maven artifact of Payara 6 publishes; it is visible to
 * applications on Payara Micro (one flat class loader) and looked up reflectively, here only. On a server where it
 * is not visible ({@link #isAvailable} false), {@link #isRunning} throws {@link IllegalStateException}.
 *
 * <p>Thread-safe: the looked-up methods are fixed at construction (dependent scope: no client proxy, so the
 * constructor runs once per injection) and the registry is Payara's synchronized singleton.
 */
@Dependent
public class DeployedApplications {

    private static final String GLOBALS = "org.glassfish.internal.api.Globals";
    private static final String REGISTRY = "org.glassfish.internal.data.ApplicationRegistry";

    /** {@code ApplicationRegistry.get(String)}, or null when Payara's internals are not visible. */
    private final Method registryGet;
    /** {@code ModuleInfo.isRunning()}, inherited by {@code ApplicationInfo}. */
    private final Method isRunning;
    /** Payara's application registry singleton, or null. */
    private final Object registry;
    /** Why the registry could not be reached, for the readiness data; null when it was. */
    private final String unavailable;

    public DeployedApplications() {
        Method get = null;
        Method running = null;
        Object found = null;
        String failure = null;
        try {
            ClassLoader loader = DeployedApplications.class.getClassLoader();
            Class<?> registryClass = Class.forName(REGISTRY, false, loader);
            found = Class.forName(GLOBALS, true, loader).getMethod("get", Class.class).invoke(null, registryClass);
            get = registryClass.getMethod("get", String.class);
            running = get.getReturnType().getMethod("isRunning");
            if (found == null) {
                failure = "Payara's application registry is not available";
            }
        } catch (ReflectiveOperationException | LinkageError e) {
            failure = "Payara's application registry is not visible: " + e;
        }
        this.registryGet = get;
        this.isRunning = running;
        this.registry = found;
        this.unavailable = failure;
    }

    /** Whether this server's application registry can be asked at all. */
    public boolean isAvailable() {
        return unavailable == null;
    }

    /**
     * Whether the application named {@code name} (Payara's name: the archive's file name without its extension)
     * is deployed and started.
     *
     * @throws IllegalStateException if this server's application registry cannot be asked
     */
    public boolean isRunning(String name) {
        if (unavailable != null) {
            throw new IllegalStateException(unavailable);
        }
        try {
            Object application = registryGet.invoke(registry, name);
            return application != null && (Boolean) isRunning.invoke(application);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("Payara's application registry refused access: " + e, e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("Payara's application registry failed: " + e.getCause(), e.getCause());
        }
    }
}
