package dev.hearth.security.boundary;

import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.hearth.security.control.AclOperation;
import dev.hearth.security.control.AclResourceType;

/**
 * The Kafka ACL a resource method needs, decided by Hearth's one authorizer exactly as for a Kafka client: the
 * caller is {@code User:<name>}, the host its address. Every {@code /api} resource method declares at least one; a
 * method without any is refused (fail closed). {@link ApiAuthorization} checks, before the method runs, those that
 * name the cluster or a path parameter; the method itself checks those marked {@link #EACH_LISTED} (it drops from
 * its answer what the caller may not see, as Kafka's Metadata does) and {@link #BY_METHOD} (names the request
 * concerns, such as topics in its body), through {@link Caller}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Repeatable(RequiresAcl.List.class)
public @interface RequiresAcl {

    /** {@link #named}: the method answers only the resources the caller may perform the operation on. */
    String EACH_LISTED = "(each listed)";
    /** {@link #named}: the method checks the resources its request (body, or the member it names) concerns. */
    String BY_METHOD = "(checked by the method)";

    AclOperation value();

    AclResourceType on();

    /**
     * The path parameter that names the resource ({@code topic}, {@code group}), or {@link #EACH_LISTED} or
     * {@link #BY_METHOD}; ignored for {@link AclResourceType#CLUSTER}, whose name is {@code kafka-cluster}.
     */
    String named() default "";

    /** The container of repeated {@link RequiresAcl}s. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface List {
        RequiresAcl[] value();
    }
}
