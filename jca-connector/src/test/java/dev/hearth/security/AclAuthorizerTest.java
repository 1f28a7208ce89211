package dev.hearth.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kafka's authorizer semantics over durable bindings. */
class AclAuthorizerTest {

    private static final KafkaPrincipal ALICE = Principals.user("alice");
    private static final KafkaPrincipal BOB = Principals.user("bob");
    private static final String HOST = "10.0.0.7";

    @TempDir
    Path dir;

    private static AclBinding acl(String principal, ResourceType type, String name, PatternType pattern,
                                  AclOperation operation, AclPermissionType permission) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, "*", operation, permission));
    }

    private static AclBinding allow(String principal, ResourceType type, String name, AclOperation operation) {
        return acl(principal, type, name, PatternType.LITERAL, operation, AclPermissionType.ALLOW);
    }

    @Test
    void nothingMatchingRefusesAndSuperUsersMayDoAnything() {
        AclAuthorizer acls = AclAuthorizer.open(dir, Set.of(BOB));
        assertFalse(acls.authorize(ALICE, HOST, AclOperation.READ, ResourceType.TOPIC, "t"));
        assertTrue(acls.authorize(BOB, HOST, AclOperation.DELETE, ResourceType.TOPIC, "t"));
    }

    @Test
    void literalWildcardPrefixedAndImpliedOperations() {
        AclAuthorizer acls = AclAuthorizer.open(dir, Set.of());
        acls.create(List.of(
                allow("User:alice", ResourceType.TOPIC, "orders", AclOperation.READ),
                acl("User:alice", ResourceType.TOPIC, "pay-", PatternType.PREFIXED, AclOperation.WRITE,
                        AclPermissionType.ALLOW),
                allow("User:*", ResourceType.GROUP, "*", AclOperation.READ),
                allow("User:alice", ResourceType.TOPIC, "conf", AclOperation.ALTER_CONFIGS)));
        assertTrue(acls.authorize(ALICE, HOST, AclOperation.READ, ResourceType.TOPIC, "orders"));
        assertTrue(acls.authorize(ALICE, HOST, AclOperation.DESCRIBE, ResourceType.TOPIC, "orders"), "READ implies DESCRIBE");
        assertFalse(acls.authorize(ALICE, HOST, AclOperation.WRITE, ResourceType.TOPIC, "orders"));
        assertFalse(acls.authorize(ALICE, HOST, AclOperation.READ, ResourceType.TOPIC, "orders2"));
        assertTrue(acls.authorize(ALICE, HOST, AclOperation.WRITE, ResourceType.TOPIC, "pay-eu"));
        assertFalse(acls.authorize(ALICE, HOST, AclOperation.WRITE, ResourceType.TOPIC, "pa"));
        assertTrue(acls.authorize(BOB, HOST, AclOperation.READ, ResourceType.GROUP, "any-group"), "User:* and name *");
        assertTrue(acls.authorize(ALICE, HOST, AclOperation.DESCRIBE_CONFIGS, ResourceType.TOPIC, "conf"));
        assertFalse(acls.authorize(ALICE, HOST, AclOperation.DESCRIBE, ResourceType.TOPIC, "conf"));
        assertFalse(acls.authorize(ALICE, HOST, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, "orders"),
                "a TOPIC binding grants nothing on another resource type of the same name");
    }

    @Test
    void denyWinsOverAllowAndOnlyForItsOperation() {
        AclAuthorizer acls = AclAuthorizer.open(dir, Set.of());
        acls.create(List.of(
                allow("User:alice", ResourceType.TOPIC, "*", AclOperation.ALL),
                acl("User:alice", ResourceType.TOPIC, "secret", PatternType.PREFIXED, AclOperation.READ,
                        AclPermissionType.DENY)));
        assertFalse(acls.authorize(ALICE, HOST, AclOperation.READ, ResourceType.TOPIC, "secret-1"));
        assertTrue(acls.authorize(ALICE, HOST, AclOperation.WRITE, ResourceType.TOPIC, "secret-1"));
        assertTrue(acls.authorize(ALICE, HOST, AclOperation.READ, ResourceType.TOPIC, "public"));
        assertTrue(acls.authorizeAny(ALICE, HOST, AclOperation.READ, ResourceType.TOPIC));
    }

    @Test
    void hostsMatchExactlyOrByWildcard() {
        AclAuthorizer acls = AclAuthorizer.open(dir, Set.of());
        acls.create(List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, "t", PatternType.LITERAL),
                new AccessControlEntry("User:alice", "10.0.0.7", AclOperation.READ, AclPermissionType.ALLOW))));
        assertTrue(acls.authorize(ALICE, "10.0.0.7", AclOperation.READ, ResourceType.TOPIC, "t"));
        assertFalse(acls.authorize(ALICE, "10.0.0.8", AclOperation.READ, ResourceType.TOPIC, "t"));
    }

    @Test
    void authorizeAnyHonoursDeniesThatCoverTheAllow() {
        AclAuthorizer acls = AclAuthorizer.open(dir, Set.of());
        acls.create(List.of(
                allow("User:alice", ResourceType.TOPIC, "a", AclOperation.WRITE),
                acl("User:alice", ResourceType.TOPIC, "*", PatternType.LITERAL, AclOperation.WRITE, AclPermissionType.DENY)));
        assertFalse(acls.authorizeAny(ALICE, HOST, AclOperation.WRITE, ResourceType.TOPIC));
        assertFalse(acls.authorizeAny(BOB, HOST, AclOperation.WRITE, ResourceType.TOPIC));
    }

    @Test
    void bindingsAreDurableDeduplicatedAndDeletedByFilter() {
        AclAuthorizer acls = AclAuthorizer.open(dir, Set.of());
        AclBinding read = allow("User:ali ce\t%", ResourceType.TOPIC, "odd name/ü", AclOperation.READ);
        AclBinding write = allow("User:alice", ResourceType.TOPIC, "t", AclOperation.WRITE);
        assertEquals(List.of(Optional.empty(), Optional.empty(), Optional.empty()), acls.create(List.of(read, write, read)));
        AclAuthorizer reopened = AclAuthorizer.open(dir, Set.of());
        assertEquals(List.of(read, write), reopened.acls(AclBindingFilter.ANY));
        List<List<AclBinding>> removed = reopened.delete(List.of(write.toFilter()));
        assertEquals(List.of(List.of(write)), removed);
        assertEquals(List.of(read), AclAuthorizer.open(dir, Set.of()).acls(AclBindingFilter.ANY));
    }

    @Test
    void invalidBindingsAreRefusedWithAReason() {
        AclAuthorizer acls = AclAuthorizer.open(dir, Set.of());
        List<Optional<String>> results = acls.create(List.of(
                allow("alice", ResourceType.TOPIC, "t", AclOperation.READ),
                allow("User:alice", ResourceType.CLUSTER, "other", AclOperation.ALTER),
                allow("User:alice", ResourceType.TOPIC, "", AclOperation.READ),
                allow("User:alice", ResourceType.CLUSTER, "kafka-cluster", AclOperation.ALTER)));
        assertTrue(results.get(0).orElseThrow().contains("principal"));
        assertTrue(results.get(1).orElseThrow().contains("kafka-cluster"));
        assertTrue(results.get(2).orElseThrow().contains("empty"));
        assertEquals(Optional.empty(), results.get(3));
        assertEquals(1, acls.acls(AclBindingFilter.ANY).size());
    }
}
