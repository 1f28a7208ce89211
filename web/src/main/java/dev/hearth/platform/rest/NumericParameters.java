package dev.hearth.platform.rest;

import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;

/**
 * Parses {@code int} and {@code long} path, query and header parameters (boxed or not) so that a value that is
 * no whole number, or out of the type's range, is a 400 {@link BadRequest} naming the parameter, rather than
 * the bare 404 JAX-RS answers by default. A present but bad value throws a {@code WebApplicationException},
 * which the runtime passes on, where an {@code IllegalArgumentException} would silently become the default
 * value; an absent one (null) throws the {@code IllegalArgumentException} the contract asks for, so the
 * runtime substitutes the default (null for a boxed parameter without one). Stateless, so thread-safe.
 */
@Provider
public class NumericParameters implements ParamConverterProvider {

    @Override
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        boolean isInt = rawType == int.class || rawType == Integer.class;
        boolean isLong = rawType == long.class || rawType == Long.class;
        if (!isInt && !isLong) {
            return null;
        }
        String name = nameOf(annotations);
        long min = isInt ? Integer.MIN_VALUE : Long.MIN_VALUE;
        long max = isInt ? Integer.MAX_VALUE : Long.MAX_VALUE;
        return new ParamConverter<>() {
            @Override
            @SuppressWarnings("unchecked")
            public T fromString(String value) {
                if (value == null) {
                    throw new IllegalArgumentException(name + " is absent");
                }
                long parsed = parse(name, value, min, max);
                Object boxed = isInt ? (Object) Integer.valueOf((int) parsed) : Long.valueOf(parsed);
                return (T) boxed;
            }

            @Override
            public String toString(T value) {
                return String.valueOf(value);
            }
        };
    }

    private static long parse(String name, String value, long min, long max) {
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // Reported below, with the range.
        }
        throw new BadRequest(name + " must be a whole number from " + min + " to " + max + ", not '"
                + Problem.echo(value) + "'");
    }

    private static String nameOf(Annotation[] annotations) {
        for (Annotation annotation : annotations) {
            if (annotation instanceof QueryParam query) {
                return "Query parameter '" + query.value() + "'";
            } else if (annotation instanceof PathParam path) {
                return "Path parameter '" + path.value() + "'";
            } else if (annotation instanceof HeaderParam header) {
                return "Header '" + header.value() + "'";
            }
        }
        return "The parameter";
    }
}
