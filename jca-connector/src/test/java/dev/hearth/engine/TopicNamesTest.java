package dev.hearth.engine;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Kafka's topic naming rules: names become directory names, so anything else must be refused. */
class TopicNamesTest {

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"a", "orders", "my.topic", "my_topic", "my-topic", "A.b_C-9", "__consumer_offsets", "...", "0"})
    void legalNamesPass(String name) {
        assertDoesNotThrow(() -> TopicNames.validate(name), "'" + name + "' uses only letters, digits, '.', '_', '-'");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"a b", "a/b", "a\\b", "a:b", "a*b", "tópico", "a\tb", "a\u0000b", "../etc", "a,b", "a+b"})
    void illegalCharactersAreRefused(String name) {
        InvalidTopicException e = assertThrows(InvalidTopicException.class, () -> TopicNames.validate(name),
                "'" + name + "' contains a character outside [a-zA-Z0-9._-]");
        assertTrue(e.getMessage().contains("only ASCII letters"), "the message names the rule: " + e.getMessage());
    }

    @Test
    void emptyAndNullAreRefused() {
        assertThrows(InvalidTopicException.class, () -> TopicNames.validate(""), "an empty name is not a topic");
        assertThrows(InvalidTopicException.class, () -> TopicNames.validate(null), "a missing name is not a topic");
    }

    @Test
    void dotAndDotDotAreRefused() {
        assertThrows(InvalidTopicException.class, () -> TopicNames.validate("."), "'.' would be the topics directory itself");
        assertThrows(InvalidTopicException.class, () -> TopicNames.validate(".."), "'..' would escape the topics directory");
    }

    @Test
    void atMost249CharactersAreAllowed() {
        assertDoesNotThrow(() -> TopicNames.validate("x".repeat(249)), "249 characters is Kafka's maximum and is allowed");
        assertThrows(InvalidTopicException.class, () -> TopicNames.validate("x".repeat(250)),
                "250 characters is one more than Kafka allows");
    }
}
