package dev.hearth.job.deployment;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.naming.InitialContext;
import javax.naming.NamingException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AnnotatedMethod;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.BeforeShutdown;
import jakarta.enterprise.inject.spi.DefinitionException;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessManagedBean;

import dev.hearth.job.api.JobBuilder;
import dev.hearth.job.api.StreamJob;

/**
 * Finds the stream jobs of the application being deployed and hands them to Hearth. Every method annotated
 * {@link StreamJob} on a CDI bean, of the form {@code void name(JobBuilder builder)}, is a job; a malformed job
 * method, or two in one application with one name, fail the deployment with a message naming the method.
 * <p>
 * When the application has started ({@code @Initialized(ApplicationScoped.class)}), each job method is called once,
 * on that thread and so in the application's own context, with a fresh {@link JobBuilder}, and the jobs are
 * {@link StreamJobRegistry#register registered}; a job method that throws is registered as failed, with the reason,
 * and does not affect the application's other jobs. When the application stops, its jobs are withdrawn, which
 * returns once they stopped.
 * <p>
 * The server offers this extension to every application through the resource adapter's copy of the API jar, so an
 * application has nothing to declare. Thread contract: CDI calls the observers one at a time per application.
 */
public class StreamJobExtension implements Extension {

    private static final Logger LOG = Logger.getLogger(StreamJobExtension.class.getName());

    private final List<JobMethod> jobMethods = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private String application;

    <X> void onBean(@Observes ProcessManagedBean<X> event) {
        for (AnnotatedMethod<? super X> annotated : event.getAnnotatedBeanClass().getMethods()) {
            StreamJob job = annotated.getAnnotation(StreamJob.class);
            if (job == null) {
                continue;
            }
            Method method = annotated.getJavaMember();
            if (method.getParameterCount() != 1 || method.getParameterTypes()[0] != JobBuilder.class
                    || Modifier.isStatic(method.getModifiers())) {
                event.addDefinitionError(new DefinitionException("@StreamJob method " + method
                        + " must be an instance method taking one JobBuilder"));
                continue;
            }
            if (!names.add(job.value())) {
                event.addDefinitionError(new DefinitionException("Two @StreamJob methods are named '" + job.value()
                        + "'; the second is " + method));
                continue;
            }
            jobMethods.add(new JobMethod(job.value(), event.getBean(), method));
        }
    }

    void onStarted(@Observes @Initialized(ApplicationScoped.class) Object started, BeanManager beanManager) {
        if (jobMethods.isEmpty() || application != null) {
            return;
        }
        application = applicationName();
        ClassLoader classLoader = Thread.currentThread().getContextClassLoader();
        List<DeployedJob> jobs = new ArrayList<>();
        for (JobMethod method : jobMethods) {
            jobs.add(define(method, beanManager, classLoader));
        }
        LOG.info(() -> "HEARTH-1015 Application " + application + " deploys stream job(s) " + names);
        StreamJobRegistry.register(jobs);
    }

    void onStopping(@Observes @BeforeDestroyed(ApplicationScoped.class) Object stopping) {
        withdraw();
    }

    void onShutdown(@Observes BeforeShutdown shutdown) {
        withdraw();
    }

    private void withdraw() {
        if (application != null) {
            StreamJobRegistry.withdraw(application);
            application = null;
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private DeployedJob define(JobMethod job, BeanManager beanManager, ClassLoader classLoader) {
        JobBuilder builder = new JobBuilder(job.name());
        Bean bean = job.bean();
        try {
            Object instance = beanManager.getReference(bean, bean.getBeanClass(),
                    beanManager.createCreationalContext(bean));
            job.method().setAccessible(true);
            job.method().invoke(instance, builder);
            return DeployedJob.defined(application, builder, classLoader);
        } catch (InvocationTargetException e) {
            return failed(job, e.getCause(), classLoader);
        } catch (IllegalAccessException | RuntimeException e) {
            return failed(job, e, classLoader);
        }
    }

    private DeployedJob failed(JobMethod job, Throwable cause, ClassLoader classLoader) {
        String failure = "@StreamJob method " + job.method().getDeclaringClass().getName() + "."
                + job.method().getName() + " failed: " + cause;
        LOG.log(Level.SEVERE, cause, () -> "HEARTH-1016 Job " + job.name() + " of application " + application
                + " is not run: " + failure);
        return DeployedJob.failed(application, job.name(), failure, classLoader);
    }

    /** The application's name as the server knows it; the class loader's identity if the server does not say. */
    private static String applicationName() {
        try {
            return (String) new InitialContext().lookup("java:app/AppName");
        } catch (NamingException | ClassCastException e) {
            return "application@" + Integer.toHexString(System.identityHashCode(
                    Thread.currentThread().getContextClassLoader()));
        }
    }

    private record JobMethod(String name, Bean<?> bean, Method method) {
    }
}
