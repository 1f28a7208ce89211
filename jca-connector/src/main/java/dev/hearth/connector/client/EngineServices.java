package dev.hearth.connector.client;

import dev.hearth.engine.log.LogEngine;
import dev.hearth.group.GroupCoordinator;
import dev.hearth.kafka.RequestLatencies;
import dev.hearth.security.HearthSecurity;
import dev.hearth.txn.TransactionCoordinator;

/**
 * What a running engine offers to message delivery and to connection handles; available once recovery has
 * finished.
 *
 * @param appends        wakes HTTP group members' long polls on appends
 * @param asyncSends     the queue behind {@code sendAsync}
 * @param kafkaLatencies the Kafka listener's request latencies (all empty when it is off)
 * @param security       users, ACLs and password checks, shared with the Kafka listener
 */
public record EngineServices(LogEngine engine, GroupCoordinator groups, EngineClient client, XaOffsetLog xaOffsets,
                             TransactionCoordinator transactions, AppendSignal appends, AsyncSender asyncSends,
                             RequestLatencies kafkaLatencies, HearthSecurity security) {
}
