package dev.hearth.connector.inbound;

import dev.hearth.connector.LogClient;
import dev.hearth.engine.LogEngine;
import dev.hearth.group.GroupCoordinator;
import dev.hearth.txn.TransactionCoordinator;

/** What a running engine offers to message delivery; available once recovery has finished. */
public record EngineServices(LogEngine engine, GroupCoordinator groups, LogClient client, XaOffsetLog xaOffsets,
                             TransactionCoordinator transactions) {
}
