package dev.hearth.security.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.TreeSet;

import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import dev.hearth.security.control.AclResourceType;

/**
 * Every HTTP method of every {@code /api} resource declares the Kafka ACL it needs ({@link RequiresAcl}), and each
 * declaration that names a path parameter names one the method has. Read from class files; single-threaded.
 */
class RequiresAclTest {

    private static final Set<String> HTTP_METHODS = Set.of("jakarta.ws.rs.GET", "jakarta.ws.rs.POST",
            "jakarta.ws.rs.PUT", "jakarta.ws.rs.DELETE", "jakarta.ws.rs.PATCH");

    @Test
    void everyResourceMethodDeclaresItsAcl() throws Exception {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.hearth");
        Set<String> undeclared = new TreeSet<>();
        Set<String> wrongParameter = new TreeSet<>();
        int checked = 0;
        for (JavaClass type : classes) {
            if (!type.isAnnotatedWith(Path.class)) {
                continue;
            }
            for (JavaMethod method : type.getMethods()) {
                if (method.getAnnotations().stream().noneMatch(a -> HTTP_METHODS.contains(a.getRawType().getName()))) {
                    continue;
                }
                checked++;
                java.lang.reflect.Method reflected = method.reflect();
                RequiresAcl[] acls = reflected.getAnnotationsByType(RequiresAcl.class);
                if (acls.length == 0) {
                    undeclared.add(type.getSimpleName() + "." + method.getName());
                }
                Set<String> parameters = new TreeSet<>();
                for (java.lang.annotation.Annotation[] annotations : reflected.getParameterAnnotations()) {
                    for (java.lang.annotation.Annotation annotation : annotations) {
                        if (annotation instanceof PathParam param) {
                            parameters.add(param.value());
                        }
                    }
                }
                for (RequiresAcl acl : acls) {
                    boolean byName = acl.on() != AclResourceType.CLUSTER && !acl.named().equals(RequiresAcl.EACH_LISTED)
                            && !acl.named().equals(RequiresAcl.BY_METHOD);
                    if (byName && !parameters.contains(acl.named())) {
                        wrongParameter.add(type.getSimpleName() + "." + method.getName() + " names '" + acl.named()
                                + "', parameters " + parameters);
                    }
                }
            }
        }
        assertTrue(checked > 30, "the check must see the resource methods, saw " + checked);
        assertEquals(Set.of(), undeclared, "resource methods without @RequiresAcl (refused to everyone)");
        assertEquals(Set.of(), wrongParameter, "@RequiresAcl naming a path parameter the method does not have");
    }
}
