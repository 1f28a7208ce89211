package dev.hearth.security.boundary;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.hearth.security.control.Role;

/**
 * The least role a resource method needs ({@code admin} also grants {@code producer}, which grants
 * {@code consumer}); enforced by {@link ApiAuthorization}. A method without it needs {@code admin}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RequiresRole {
    Role value();
}
