package dev.hearth.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Group errors carry Kafka's codes, and group states Kafka's names. */
class GroupErrorTest {

    @ParameterizedTest
    @EnumSource(GroupError.class)
    void everyErrorHasTheCodeOfTheKafkaErrorOfTheSameName(GroupError error) {
        assertEquals(Errors.valueOf(error.name()).code(), error.code(),
                error + " must carry the code kafka-clients gives Errors." + error.name());
        assertEquals(error, GroupError.forCode(error.code()), "the code maps back to " + error);
    }

    @ParameterizedTest
    @EnumSource(GroupError.class)
    void retriableMatchesKafkasClassification(GroupError error) {
        if (error.isRetriable()) {
            assertTrue(Errors.valueOf(error.name()).exception() instanceof org.apache.kafka.common.errors.RetriableException,
                    error + " is retriable in Kafka too");
        }
    }

    @Test
    void anUnknownCodeIsAnUnknownServerError() {
        assertEquals(GroupError.UNKNOWN_SERVER_ERROR, GroupError.forCode((short) 9999), "unknown code");
    }

    @ParameterizedTest
    @EnumSource(GroupState.class)
    void statesUseKafkasNames(GroupState state) {
        String kafkaName = switch (state) {
            case EMPTY -> "Empty";
            case PREPARING_REBALANCE -> "PreparingRebalance";
            case COMPLETING_REBALANCE -> "CompletingRebalance";
            case STABLE -> "Stable";
            case DEAD -> "Dead";
        };
        assertEquals(kafkaName, state.displayName(), "ListGroups and DescribeGroups report Kafka's name");
        assertEquals(state, GroupState.forDisplayName(kafkaName), "and the name maps back");
    }
}
