package dev.hearth.kafka;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.IntSupplier;

import org.apache.kafka.common.errors.IllegalSaslStateException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestContext;

import dev.hearth.engine.log.LogEngine;
import dev.hearth.group.GroupCoordinator;
import dev.hearth.security.HearthSecurity;
import dev.hearth.txn.ProducerIdAllocator;
import dev.hearth.txn.TransactionCoordinator;

/**
 * Dispatches parsed requests to the handler of their API. {@link #SUPPORTED} is the single list of what
 * Hearth implements: ApiVersions advertises exactly these, at every version kafka-clients can parse, and
 * anything else is answered with UNSUPPORTED_VERSION.
 *
 * <p>Every API is authorized as Kafka's broker authorizes it, by its handler, with the request's caller
 * ({@link RequestAuthorizer}): the principal the connection authenticated as and its client address. ApiVersions
 * alone needs no right. Thread-safe.
 */
final class KafkaApis {

    static final Set<ApiKeys> SUPPORTED = EnumSet.of(
            ApiKeys.API_VERSIONS, ApiKeys.METADATA, ApiKeys.DESCRIBE_CLUSTER,
            ApiKeys.PRODUCE, ApiKeys.INIT_PRODUCER_ID, ApiKeys.FETCH, ApiKeys.LIST_OFFSETS,
            ApiKeys.CREATE_TOPICS, ApiKeys.DELETE_TOPICS, ApiKeys.CREATE_PARTITIONS,
            ApiKeys.DESCRIBE_CONFIGS, ApiKeys.ALTER_CONFIGS, ApiKeys.INCREMENTAL_ALTER_CONFIGS,
            ApiKeys.FIND_COORDINATOR, ApiKeys.JOIN_GROUP, ApiKeys.SYNC_GROUP, ApiKeys.HEARTBEAT,
            ApiKeys.LEAVE_GROUP, ApiKeys.OFFSET_COMMIT, ApiKeys.OFFSET_FETCH, ApiKeys.LIST_GROUPS,
            ApiKeys.DESCRIBE_GROUPS, ApiKeys.DELETE_GROUPS,
            ApiKeys.ADD_PARTITIONS_TO_TXN, ApiKeys.ADD_OFFSETS_TO_TXN, ApiKeys.TXN_OFFSET_COMMIT, ApiKeys.END_TXN,
            ApiKeys.SASL_HANDSHAKE, ApiKeys.SASL_AUTHENTICATE,
            ApiKeys.CREATE_ACLS, ApiKeys.DESCRIBE_ACLS, ApiKeys.DELETE_ACLS,
            ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS, ApiKeys.ALTER_USER_SCRAM_CREDENTIALS, ApiKeys.DESCRIBE_CLIENT_QUOTAS,
            ApiKeys.DELETE_RECORDS, ApiKeys.DESCRIBE_LOG_DIRS, ApiKeys.ELECT_LEADERS, ApiKeys.OFFSET_DELETE,
            ApiKeys.DESCRIBE_PRODUCERS,
            ApiKeys.LIST_TRANSACTIONS, ApiKeys.DESCRIBE_TRANSACTIONS, ApiKeys.WRITE_TXN_MARKERS);

    private final ClusterApi cluster;
    private final ProduceApi produce;
    private final FetchApi fetch;
    private final TopicAdminApi topicAdmin;
    private final GroupApi groups;
    private final TransactionApi transactionApi;
    private final SecurityAdminApi securityAdmin;
    private final LogAdminApi logAdmin;
    private final TransactionAdminApi transactionAdmin;
    private final RequestAuthorizer authorizer;

    KafkaApis(KafkaListenerConfig config, LogEngine engine, GroupCoordinator coordinator,
              TransactionCoordinator transactions, ProducerIdAllocator producerIds, HearthSecurity security,
              IntSupplier boundPort, Executor continuations) {
        TopicResolver topics = new TopicResolver(engine, config);
        KafkaAuditTopic audit = new KafkaAuditTopic(engine, System::currentTimeMillis);
        this.authorizer = new RequestAuthorizer(security);
        this.cluster = new ClusterApi(config, engine, topics, boundPort);
        this.produce = new ProduceApi(engine, topics, producerIds, transactions, continuations);
        this.transactionApi = new TransactionApi(transactions);
        this.fetch = new FetchApi(engine, topics, continuations);
        this.topicAdmin = new TopicAdminApi(engine, config, audit,
                new BrokerConfigs(config, engine.config(), boundPort));
        this.logAdmin = new LogAdminApi(engine, audit);
        this.transactionAdmin = new TransactionAdminApi(transactions, audit, System::currentTimeMillis);
        this.groups = new GroupApi(coordinator, engine, audit);
        this.securityAdmin = new SecurityAdminApi(security, audit);
    }

    /**
     * Runs one request; called on a request-handler thread.
     *
     * @param scheduler the connection's event loop, for long-poll time-outs (the work they trigger runs on the
     *                  handler threads)
     */
    CompletableFuture<AbstractResponse> handle(RequestContext context, AbstractRequest request,
                                               ScheduledExecutorService scheduler) {
        ApiKeys api = context.header.apiKey();
        if (!SUPPORTED.contains(api)) {
            return done(request.getErrorResponse(new UnsupportedVersionException("Hearth does not implement " + api)));
        }
        RequestAuthorizer.Caller caller = authorizer.caller(context);
        return switch (api) {
            case API_VERSIONS -> done(cluster.apiVersions(request));
            case METADATA -> done(cluster.metadata(caller, request));
            case DESCRIBE_CLUSTER -> done(cluster.describeCluster(caller, request));
            case FIND_COORDINATOR -> done(cluster.findCoordinator(caller, request));
            case PRODUCE -> produce.produce(caller, request);
            case INIT_PRODUCER_ID -> done(produce.initProducerId(caller, request));
            case FETCH -> fetch.fetch(caller, request, scheduler);
            case LIST_OFFSETS -> done(fetch.listOffsets(caller, request));
            case CREATE_TOPICS -> done(topicAdmin.createTopics(caller, request));
            case DELETE_TOPICS -> done(topicAdmin.deleteTopics(caller, request));
            case CREATE_PARTITIONS -> done(topicAdmin.createPartitions(caller, request));
            case DESCRIBE_CONFIGS -> done(topicAdmin.describeConfigs(caller, request));
            case ALTER_CONFIGS -> done(topicAdmin.alterConfigs(caller, request));
            case INCREMENTAL_ALTER_CONFIGS -> done(topicAdmin.incrementalAlterConfigs(caller, request));
            case JOIN_GROUP -> groups.joinGroup(caller, context, request);
            case SYNC_GROUP -> groups.syncGroup(caller, request);
            case HEARTBEAT -> done(groups.heartbeat(caller, request));
            case LEAVE_GROUP -> done(groups.leaveGroup(caller, request));
            case OFFSET_COMMIT -> done(groups.offsetCommit(caller, request));
            case OFFSET_FETCH -> done(groups.offsetFetch(caller, request));
            case LIST_GROUPS -> done(groups.listGroups(caller, request));
            case DESCRIBE_GROUPS -> done(groups.describeGroups(caller, request));
            case DELETE_GROUPS -> done(groups.deleteGroups(caller, request));
            case ADD_PARTITIONS_TO_TXN -> done(transactionApi.addPartitionsToTxn(caller, request));
            case ADD_OFFSETS_TO_TXN -> done(transactionApi.addOffsetsToTxn(caller, request));
            case TXN_OFFSET_COMMIT -> done(transactionApi.txnOffsetCommit(caller, request));
            case END_TXN -> done(transactionApi.endTxn(caller, request));
            case DELETE_RECORDS -> done(logAdmin.deleteRecords(caller, request));
            case DESCRIBE_LOG_DIRS -> done(logAdmin.describeLogDirs(caller, request));
            case ELECT_LEADERS -> done(logAdmin.electLeaders(caller, request));
            case DESCRIBE_PRODUCERS -> done(logAdmin.describeProducers(caller, request));
            case OFFSET_DELETE -> done(groups.offsetDelete(caller, request));
            case LIST_TRANSACTIONS -> done(transactionAdmin.listTransactions(caller, request));
            case DESCRIBE_TRANSACTIONS -> done(transactionAdmin.describeTransactions(caller, request));
            case WRITE_TXN_MARKERS -> done(transactionAdmin.writeTxnMarkers(caller, request));
            case CREATE_ACLS -> done(securityAdmin.createAcls(caller, request));
            case DESCRIBE_ACLS -> done(securityAdmin.describeAcls(caller, request));
            case DELETE_ACLS -> done(securityAdmin.deleteAcls(caller, request));
            case DESCRIBE_USER_SCRAM_CREDENTIALS -> done(securityAdmin.describeUserScramCredentials(caller, request));
            case ALTER_USER_SCRAM_CREDENTIALS -> done(securityAdmin.alterUserScramCredentials(caller, request));
            case DESCRIBE_CLIENT_QUOTAS -> done(securityAdmin.describeClientQuotas(caller, request));
            // The connection runs the SASL exchange itself (SaslAuthenticator); one that reaches here comes after
            // it completed, or on a listener without SASL: Kafka's answer for both.
            case SASL_HANDSHAKE, SASL_AUTHENTICATE -> done(request.getErrorResponse(
                    new IllegalSaslStateException("No SASL exchange is expected on this connection now")));
            default -> done(request.getErrorResponse(new UnsupportedVersionException("Hearth does not implement " + api)));
        };
    }

    /** Wakes parked fetches; called after every append. */
    FetchApi fetchApi() {
        return fetch;
    }

    private static CompletableFuture<AbstractResponse> done(AbstractResponse response) {
        return CompletableFuture.completedFuture(response);
    }
}
