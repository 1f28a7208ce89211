package dev.hearth.job.control;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AnnotatedMethod;
import jakarta.enterprise.inject.spi.DefinitionException;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessManagedBean;

import dev.hearth.job.api.JobBuilder;
import dev.hearth.job.api.StreamJob;

/**
 * Finds the stream jobs of the application at deployment: every method annotated {@link StreamJob} on a CDI bean,
 * of the form {@code void name(JobBuilder builder)}. A malformed job method or two jobs with one name fail the
 * deployment with a message naming the method, rather than a job silently missing at run time.
 */
public class JobDiscovery implements Extension {

    private final List<DiscoveredJob> jobs = new ArrayList<>();
    private final Set<String> names = new HashSet<>();

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
            jobs.add(new DiscoveredJob(job.value(), event.getBean(), method));
        }
    }

    public List<DiscoveredJob> jobs() {
        return List.copyOf(jobs);
    }
}
