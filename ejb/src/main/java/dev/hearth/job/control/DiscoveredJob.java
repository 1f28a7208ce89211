package dev.hearth.job.control;

import java.lang.reflect.Method;

import jakarta.enterprise.inject.spi.Bean;

/** A {@code @StreamJob} method found at deployment: the job's name, the bean declaring it, and the method. */
public record DiscoveredJob(String name, Bean<?> bean, Method method) {
}
