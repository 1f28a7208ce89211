package dev.hearth.connector.client;

import dev.hearth.kafka.RequestLatencies;
import dev.hearth.security.HearthSecurity;

/**
 * What a running backend ({@code hearth.backend}) offers to message delivery and to connection handles; available
 * once the backend has started (the embedded engine recovered, or the cluster answered).
 *
 * @param client         the log operations
 * @param asyncSends     the queue behind {@code sendAsync}
 * @param security       users, ACLs and password checks (shared with the Kafka listener when there is one)
 * @param kafkaLatencies the Kafka listener's request latencies (all empty when it is off)
 * @param feeds          opens consumer-group members for message-driven beans
 * @param xaOffsets      the XA offset commit of transacted deliveries; null where the backend has none (a Kafka
 *                       cluster: transacted beans there get exactly-once through their offset table)
 * @param outbox         sends in JTA transactions through an outbox; null where sends join them as XA branches
 *                       (the embedded engine)
 * @param engine         the embedded engine's own services; null on a cluster
 */
public record BackendServices(LogClient client, AsyncSender asyncSends, HearthSecurity security,
                              RequestLatencies kafkaLatencies, GroupFeed.Opener feeds, XaOffsetLog xaOffsets,
                              TransactionalSends outbox, EngineServices engine) {

    /** The services of the embedded engine, whose members live in its own group coordinator. */
    public static BackendServices of(EngineServices engine) {
        EngineClient client = engine.client();
        return new BackendServices(client, engine.asyncSends(), engine.security(), engine.kafkaLatencies(),
                spec -> new EngineFeed(spec, engine.engine(), engine.groups(), client), engine.xaOffsets(), null,
                engine);
    }
}
