package dev.hearth.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import java.util.TreeSet;

import jakarta.ws.rs.Path;
import jakarta.ws.rs.ext.Provider;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * {@link HearthApi#CLASSES} is exactly Hearth's JAX-RS resources and providers: a new resource left out of it would
 * answer 404 (the container does not scan the WAR for them), and would be missing from {@code /openapi}.
 */
class HearthApiTest {

    @Test
    void theApplicationListsEveryResourceAndProvider() {
        Set<String> annotated = new TreeSet<>();
        for (JavaClass type : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.hearth")) {
            if (type.isAnnotatedWith(Path.class) || type.isAnnotatedWith(Provider.class)) {
                annotated.add(type.getName());
            }
        }
        Set<String> listed = new TreeSet<>();
        HearthApi.CLASSES.forEach(type -> listed.add(type.getName()));
        assertEquals(annotated, listed, "HearthApi.CLASSES against the @Path and @Provider classes of dev.hearth");
    }
}
