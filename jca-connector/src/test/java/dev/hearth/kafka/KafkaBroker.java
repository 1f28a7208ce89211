package dev.hearth.kafka;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.hearth.engine.EngineConfig;
import dev.hearth.engine.log.LogEngine;
import dev.hearth.group.GroupCoordinator;
import dev.hearth.security.HearthSecurity;
import dev.hearth.security.SecuritySettings;
import dev.hearth.txn.ProducerIdAllocator;
import dev.hearth.txn.TransactionCoordinator;

/**
 * The engine, the group coordinator and the Kafka listener on a free port, outside any container, with
 * factories for real kafka-clients producers, consumers and admin clients pointed at it. Public for the tests of
 * other packages that need a Kafka-protocol cluster (the outbox's).
 */
public final class KafkaBroker implements AutoCloseable {

    /** kafka-clients logs every client's full configuration at INFO; kept (strongly) at WARNING for readable test output. */
    private static final java.util.logging.Logger KAFKA_CLIENT_LOGS = quiet("org.apache.kafka");

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    final LogEngine engine;
    final GroupCoordinator coordinator;
    final KafkaListener listener;
    final TransactionCoordinator transactions;
    final HearthSecurity security;
    private final ProducerIdAllocator producerIds = new ProducerIdAllocator();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();

    public KafkaBroker(Path dataDir) throws InterruptedException {
        this(dataDir, KafkaListenerConfig.defaults().withPort(0));
    }

    KafkaBroker(Path dataDir, KafkaListenerConfig config) throws InterruptedException {
        this(EngineConfig.defaults(dataDir), config);
    }

    KafkaBroker(EngineConfig engineConfig, KafkaListenerConfig config) throws InterruptedException {
        this(engineConfig, config, SecuritySettings.read(key -> java.util.Optional.empty(), java.util.List.of()));
    }

    KafkaBroker(EngineConfig engineConfig, KafkaListenerConfig config, SecuritySettings securitySettings)
            throws InterruptedException {
        engine = LogEngine.open(engineConfig);
        coordinator = new GroupCoordinator(engine, System::currentTimeMillis);
        transactions = new TransactionCoordinator(engine, coordinator, producerIds, System::currentTimeMillis);
        security = HearthSecurity.start(engineConfig.dataDir(), securitySettings);
        listener = KafkaListener.start(config, engine, coordinator, transactions, producerIds, security, threads);
        ticker.scheduleAtFixedRate(() -> {
            coordinator.tick();
            transactions.tick();
        }, 100, 100, TimeUnit.MILLISECONDS);
    }

    public String bootstrap() {
        return "127.0.0.1:" + listener.boundPort();
    }

    KafkaProducer<String, String> producer(Map<String, Object> overrides) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.putAll(overrides);
        return new KafkaProducer<>(props);
    }

    KafkaConsumer<String, String> consumer(String groupId, Map<String, Object> overrides) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        if (groupId != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.putAll(overrides);
        return new KafkaConsumer<>(props);
    }

    public Admin admin() {
        return Admin.create(Map.of("bootstrap.servers", bootstrap()));
    }

    @Override
    public void close() {
        ticker.shutdown();
        listener.close();
        coordinator.close();
        engine.close();
        threads.shutdown();
    }
}
