package dev.hearth.platform.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import jakarta.ws.rs.Path;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * Every HTTP method of every {@code /api} resource names its OpenAPI operation ({@code @Operation(operationId)}),
 * no two the same, and {@link ApiBodies} describes the bodies of each, so no operation of {@code /openapi} falls
 * back to a bare object. Read from class files; single-threaded. (The schemas themselves need an OASFactory
 * implementation, Payara's: OpenApiIT checks them on the served document.)
 */
class ApiBodiesTest {

    private static final Set<String> HTTP_METHODS = Set.of("jakarta.ws.rs.GET", "jakarta.ws.rs.POST",
            "jakarta.ws.rs.PUT", "jakarta.ws.rs.DELETE", "jakarta.ws.rs.PATCH");

    @Test
    void everyResourceMethodHasAUniqueOperationIdWithDescribedBodies() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.hearth");
        Map<String, String> methodById = new TreeMap<>();
        Set<String> problems = new TreeSet<>();
        for (JavaClass type : classes) {
            if (!type.isAnnotatedWith(Path.class)) {
                continue;
            }
            for (JavaMethod method : type.getMethods()) {
                if (method.getAnnotations().stream().noneMatch(a -> HTTP_METHODS.contains(a.getRawType().getName()))) {
                    continue;
                }
                String where = type.getSimpleName() + "." + method.getName();
                Operation operation = method.reflect().getAnnotation(Operation.class);
                if (operation == null || operation.operationId().isBlank()) {
                    problems.add(where + " has no operationId");
                    continue;
                }
                String previous = methodById.put(operation.operationId(), where);
                if (previous != null) {
                    problems.add(where + " repeats operationId " + operation.operationId() + " of " + previous);
                }
                if (ApiBodies.of(operation.operationId()) == null) {
                    problems.add(where + " (" + operation.operationId() + ") has no entry in ApiBodies");
                }
            }
        }
        assertEquals(Set.of(), problems, "operation ids are present, unique and described");
        assertTrue(methodById.size() >= 45, "the resource methods were found: " + methodById.keySet());
    }
}
