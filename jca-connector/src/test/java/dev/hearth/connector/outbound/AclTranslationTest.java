package dev.hearth.connector.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.junit.jupiter.api.Test;

import dev.hearth.connector.api.AclEntry;
import dev.hearth.connector.api.AclFilter;
import dev.hearth.connector.api.HearthConnectionException;
import dev.hearth.connector.api.HearthError;

/** The connection API's text ACLs against Kafka's types: names, refusals, filters. Single-threaded. */
class AclTranslationTest {

    private static final AclEntry READ_ORDERS =
            new AclEntry("User:alice", "*", "topic", "literal", "orders", "read", "allow");

    @Test
    void anEntryBecomesKafkasBindingAndBackWithKafkasNames() {
        AclBinding binding = AclTranslation.binding(READ_ORDERS);
        assertEquals(AclOperation.READ, binding.entry().operation(), "enum names are case-insensitive");
        assertEquals(new AclEntry("User:alice", "*", "TOPIC", "LITERAL", "orders", "READ", "ALLOW"),
                AclTranslation.entry(binding), "and come back as Kafka's constants");
    }

    @Test
    void whatKafkaRefusesIsAnInvalidRequestNamingTheField() {
        HearthConnectionException unknown = assertThrows(HearthConnectionException.class, () -> AclTranslation.binding(
                new AclEntry("User:alice", "*", "TOPIC", "LITERAL", "orders", "FLY", "ALLOW")));
        assertEquals(HearthError.INVALID_REQUEST, unknown.error(), "an unknown operation is the caller's mistake");
        assertTrue(unknown.getMessage().contains("operation 'FLY'"), "named: " + unknown.getMessage());

        HearthConnectionException any = assertThrows(HearthConnectionException.class, () -> AclTranslation.binding(
                new AclEntry("User:alice", "*", "TOPIC", "LITERAL", "orders", "ANY", "ALLOW")));
        assertEquals(HearthError.INVALID_REQUEST, any.error(), "ANY filters, it does not grant: " + any.getMessage());

        HearthConnectionException cluster = assertThrows(HearthConnectionException.class, () -> AclTranslation.binding(
                new AclEntry("User:alice", "*", "CLUSTER", "LITERAL", "other", "ALTER", "ALLOW")));
        assertTrue(cluster.getMessage().contains("kafka-cluster"), "the one cluster resource: " + cluster.getMessage());

        assertThrows(HearthConnectionException.class, () -> AclTranslation.binding(
                new AclEntry("alice", "*", "TOPIC", "LITERAL", "orders", "READ", "ALLOW")), "a principal has a type");
    }

    @Test
    void aFilterMatchesAnythingWhereAFieldIsAbsent() {
        AclBindingFilter any = AclTranslation.filter(AclFilter.ANY);
        assertTrue(any.matches(AclTranslation.binding(READ_ORDERS)), "the empty filter matches every ACL");
        AclBindingFilter match = AclTranslation.filter(new AclFilter(null, null, "TOPIC", "MATCH", "orders-eu", null, null));
        assertEquals(PatternType.MATCH, match.patternFilter().patternType(), "MATCH is a filter's pattern type");
        assertTrue(AclTranslation.filter(AclFilter.exactly(READ_ORDERS)).matches(AclTranslation.binding(READ_ORDERS)),
                "an entry's own filter matches it");
    }
}
