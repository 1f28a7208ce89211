package dev.hearth.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * Hearth's package structure, checked on the main classes of every module with code (jca-connector, persistence, ejb,
 * web: the web module's test class path holds them all, so this runs in the normal {@code mvn verify}):
 * <ul>
 *   <li>no package cycle: the package graph (an edge per class-file dependency between two {@code dev.hearth}
 *       packages) has no strongly connected component of more than one package;</li>
 *   <li>the log engine ({@code dev.hearth.engine} and its subpackages) uses no {@code jakarta.*} type, so it stays
 *       testable with plain JUnit.</li>
 * </ul>
 * Read with ArchUnit's class-file importer (no class is loaded or run). Thread-safety: a test class, single-threaded.
 */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.hearth");
    }

    @Test
    void theClassesOfEveryModuleAreImported() {
        Set<String> packages = packageGraph().keySet();
        for (String expected : List.of("dev.hearth.engine", "dev.hearth.connector.client", "dev.hearth.job.control")) {
            assertTrue(packages.contains(expected), "the check must see " + expected + ": " + packages);
        }
    }

    @Test
    void noPackageCycles() {
        List<Set<String>> cycles = stronglyConnectedComponents(packageGraph());
        List<String> unexpected = new ArrayList<>();
        for (Set<String> cycle : cycles) {
            unexpected.add(cycle + " via " + edgesWithin(cycle));
        }
        assertEquals(List.of(), unexpected, "package cycles (each with the class dependencies that close it)");
    }

    @Test
    void theEngineUsesNoJakartaTypes() {
        Set<String> violations = new TreeSet<>();
        for (JavaClass javaClass : classes) {
            if (!javaClass.getPackageName().startsWith("dev.hearth.engine")) {
                continue;
            }
            for (Dependency dependency : javaClass.getDirectDependenciesFromSelf()) {
                if (dependency.getTargetClass().getPackageName().startsWith("jakarta.")) {
                    violations.add(dependency.getDescription());
                }
            }
        }
        assertEquals(Set.of(), violations, "dev.hearth.engine must not depend on jakarta.*");
    }

    /** Package -> packages its classes depend on, within dev.hearth, without self-edges. */
    private static Map<String, Set<String>> packageGraph() {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (JavaClass javaClass : classes) {
            String from = javaClass.getPackageName();
            Set<String> targets = graph.computeIfAbsent(from, p -> new TreeSet<>());
            for (Dependency dependency : javaClass.getDirectDependenciesFromSelf()) {
                String to = dependency.getTargetClass().getPackageName();
                if (!to.equals(from) && to.startsWith("dev.hearth")) {
                    targets.add(to);
                }
            }
        }
        return graph;
    }

    /** A few class dependencies between the packages of a cycle, to say where to cut it. */
    private static List<String> edgesWithin(Set<String> cycle) {
        List<String> edges = new ArrayList<>();
        for (JavaClass javaClass : classes) {
            if (!cycle.contains(javaClass.getPackageName())) {
                continue;
            }
            for (Dependency dependency : javaClass.getDirectDependenciesFromSelf()) {
                String to = dependency.getTargetClass().getPackageName();
                if (cycle.contains(to) && !to.equals(javaClass.getPackageName()) && edges.size() < 10) {
                    edges.add(javaClass.getName() + " -> " + dependency.getTargetClass().getName());
                }
            }
        }
        return edges;
    }

    /** Tarjan's algorithm, iterative; only components of two or more packages. */
    private static List<Set<String>> stronglyConnectedComponents(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new java.util.HashSet<>();
        List<Set<String>> components = new ArrayList<>();
        int[] counter = {0};
        for (String root : graph.keySet()) {
            if (!index.containsKey(root)) {
                strongConnect(root, graph, index, low, stack, onStack, components, counter);
            }
        }
        return components;
    }

    private static void strongConnect(String node, Map<String, Set<String>> graph, Map<String, Integer> index,
                                      Map<String, Integer> low, Deque<String> stack, Set<String> onStack,
                                      List<Set<String>> components, int[] counter) {
        index.put(node, counter[0]);
        low.put(node, counter[0]++);
        stack.push(node);
        onStack.add(node);
        for (String next : graph.getOrDefault(node, Set.of())) {
            if (!index.containsKey(next)) {
                strongConnect(next, graph, index, low, stack, onStack, components, counter);
                low.put(node, Math.min(low.get(node), low.get(next)));
            } else if (onStack.contains(next)) {
                low.put(node, Math.min(low.get(node), index.get(next)));
            }
        }
        if (low.get(node).equals(index.get(node))) {
            Set<String> component = new TreeSet<>();
            String member;
            do {
                member = stack.pop();
                onStack.remove(member);
                component.add(member);
            } while (!member.equals(node));
            if (component.size() > 1) {
                components.add(component);
            }
        }
    }
}
