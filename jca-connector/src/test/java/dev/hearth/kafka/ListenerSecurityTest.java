package dev.hearth.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.apache.kafka.common.requests.SaslAuthenticateResponse;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.apache.kafka.common.requests.SaslHandshakeResponse;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.engine.EngineConfig;
import dev.hearth.engine.InvalidConfigException;
import dev.hearth.security.SecuritySettings;
import dev.hearth.testing.TestCertificates;

/**
 * TLS, mTLS and SASL on the Kafka listener, with real kafka-clients over real sockets, and the frame-level rules
 * (nothing served before authentication, Kafka's answers to an exchange out of order).
 */
class ListenerSecurityTest {

    private static final Logger CONNECTION_LOG = Logger.getLogger(KafkaConnectionHandler.class.getName());
    private static final List<String> LOGINS = new CopyOnWriteArrayList<>();
    private static final Handler LOGIN_CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getMessage() != null && record.getMessage().startsWith("HEARTH-0426")) {
                LOGINS.add(record.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @TempDir
    static Path certificateDir;
    static TestCertificates certificates;

    @TempDir
    Path dataDir;

    @BeforeAll
    static void certificatesAndLogCapture() throws Exception {
        certificates = TestCertificates.create(certificateDir);
        CONNECTION_LOG.setLevel(Level.FINE);
        LOGIN_CAPTURE.setLevel(Level.ALL);
        CONNECTION_LOG.addHandler(LOGIN_CAPTURE);
    }

    @AfterAll
    static void stopCapture() {
        CONNECTION_LOG.removeHandler(LOGIN_CAPTURE);
        CONNECTION_LOG.setLevel(null);
    }

    /**
     * Users alice and bob, and the mTLS client certificate's subject, all super users (and the listener certificate's subject, as the adapter makes it one): these tests are about
     * authentication; what ACLs allow is KafkaAuthorizationTest's.
     */
    static SecuritySettings users() {
        Map<String, String> settings = Map.of(
                "hearth.security.user.alice.password", "alice-secret",
                "hearth.security.user.alice.roles", "admin",
                "hearth.security.user.bob.password", "bob-secret",
                "hearth.security.user.bob.roles", "admin",
                "hearth.security.super.users", "User:ANONYMOUS;User:" + TestCertificates.CLIENT_DN
                        + ";User:CN=localhost,O=Hearth Test");
        return SecuritySettings.read(key -> Optional.ofNullable(settings.get(key)), settings.keySet());
    }

    static ListenerSecurity.Tls serverTls() {
        return ListenerSecurity.Tls.pkcs12(certificates.serverKeystore.toString(), TestCertificates.PASSWORD.toCharArray());
    }

    KafkaBroker broker(SecurityProtocol protocol, ListenerSecurity.Tls tls) throws InterruptedException {
        return broker(new ListenerSecurity(protocol, tls, ListenerSecurity.MECHANISMS, 100, false));
    }

    KafkaBroker broker(ListenerSecurity security) throws InterruptedException {
        return new KafkaBroker(EngineConfig.defaults(dataDir),
                KafkaListenerConfig.defaults().withPort(0).withSecurity(security), users());
    }

    static Map<String, Object> sasl(SecurityProtocol protocol, String mechanism, String user, String password) {
        Map<String, Object> props = new HashMap<>();
        props.put("security.protocol", protocol.name);
        props.put("sasl.mechanism", mechanism);
        String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        props.put("sasl.jaas.config", module + " required username=\"" + user + "\" password=\"" + password + "\";");
        if (protocol == SecurityProtocol.SASL_SSL) {
            props.putAll(trustServer());
        }
        return props;
    }

    static Map<String, Object> trustServer() {
        return trustServerOf(certificates);
    }

    static Map<String, Object> trustServerOf(TestCertificates certificates) {
        return Map.of("ssl.truststore.location", certificates.clientTruststore.toString(),
                "ssl.truststore.password", TestCertificates.PASSWORD, "ssl.truststore.type", "PKCS12");
    }

    /** Produces three records with one client configuration and consumes them in a group with another. */
    static void roundTrip(KafkaBroker broker, String topic, Map<String, Object> producerProps,
                          Map<String, Object> consumerProps) throws Exception {
        try (KafkaProducer<String, String> producer = broker.producer(producerProps)) {
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)).get(20, TimeUnit.SECONDS);
            }
        }
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = broker.consumer("group-" + topic, consumerProps)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (values.size() < 3 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
            consumer.commitSync();
        }
        assertEquals(List.of("v0", "v1", "v2"), values, "the consumer reads what the producer wrote, in order");
    }

    static boolean loggedLogin(String principal, String how) {
        return LOGINS.stream().anyMatch(line -> line.contains("authenticated as " + principal + " ")
                && line.contains(how));
    }

    @Test
    void scramSha512OverTlsProducesAndConsumes() throws Exception {
        try (KafkaBroker broker = broker(SecurityProtocol.SASL_SSL, serverTls())) {
            Map<String, Object> alice = sasl(SecurityProtocol.SASL_SSL, "SCRAM-SHA-512", "alice", "alice-secret");
            roundTrip(broker, "scram-tls", alice, alice);
            assertTrue(loggedLogin("User:alice", "SCRAM-SHA-512 over SASL_SSL"),
                    "the connection's principal is User:alice after SCRAM-SHA-512: " + LOGINS);
        }
    }

    @Test
    void scramSha256AndPlainOverSaslPlaintext() throws Exception {
        try (KafkaBroker broker = broker(SecurityProtocol.SASL_PLAINTEXT, null)) {
            roundTrip(broker, "scram256-plain",
                    sasl(SecurityProtocol.SASL_PLAINTEXT, "SCRAM-SHA-256", "alice", "alice-secret"),
                    sasl(SecurityProtocol.SASL_PLAINTEXT, "PLAIN", "bob", "bob-secret"));
            assertTrue(loggedLogin("User:alice", "SCRAM-SHA-256 over SASL_PLAINTEXT"), "alice by SCRAM-SHA-256: " + LOGINS);
            assertTrue(loggedLogin("User:bob", "PLAIN over SASL_PLAINTEXT"), "bob by PLAIN: " + LOGINS);
            // Once authenticated, frames over the pre-authentication limit (512 KiB) are fine.
            try (KafkaProducer<String, String> producer = broker.producer(
                    sasl(SecurityProtocol.SASL_PLAINTEXT, "PLAIN", "bob", "bob-secret"))) {
                producer.send(new ProducerRecord<>("large", "k", "x".repeat(600 * 1024))).get(20, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void mutualTlsMakesTheCertificateSubjectThePrincipal() throws Exception {
        // The server's key and certificate as PEM files this time, its trust store holding the client's certificate.
        ListenerSecurity.Tls tls = new ListenerSecurity.Tls("PEM", null, certificates.serverCertificatePem.toString(),
                certificates.serverKeyPem.toString(), null, null, "PKCS12", certificates.serverTruststore.toString(),
                TestCertificates.PASSWORD.toCharArray(), ListenerSecurity.ClientAuth.REQUIRED, null, null);
        try (KafkaBroker broker = broker(SecurityProtocol.SSL, tls)) {
            Map<String, Object> client = new HashMap<>(trustServer());
            client.put("security.protocol", "SSL");
            client.put("ssl.keystore.location", certificates.clientKeystore.toString());
            client.put("ssl.keystore.password", TestCertificates.PASSWORD);
            client.put("ssl.key.password", TestCertificates.PASSWORD);
            roundTrip(broker, "mtls", client, client);
            assertTrue(loggedLogin("User:" + TestCertificates.CLIENT_DN, "by its certificate over SSL"),
                    "the principal is the client certificate's subject: " + LOGINS);

            // Hearth's own clients present the listener's certificate, whose subject the adapter makes a super user.
            Map<String, Object> internal = new HashMap<>(broker.listener.internalClientProperties("unused",
                    new char[0]));
            roundTrip(broker, "mtls-internal", internal, internal);
            String listenerSubject = KafkaListener.internalCertificatePrincipal(
                    KafkaListenerConfig.defaults().withSecurity(new ListenerSecurity(SecurityProtocol.SSL, tls,
                            ListenerSecurity.MECHANISMS, 100, false))).orElseThrow().toString();
            assertTrue(loggedLogin(listenerSubject, "by its certificate over SSL"),
                    "the internal clients are the listener certificate's subject " + listenerSubject + ": " + LOGINS);

            Map<String, Object> noCertificate = new HashMap<>(trustServer());
            noCertificate.put("security.protocol", "SSL");
            try (Admin admin = admin(broker, noCertificate)) {
                ExecutionException refused = assertThrows(ExecutionException.class,
                        () -> admin.describeCluster().clusterId().get(20, TimeUnit.SECONDS),
                        "a client without a certificate is refused when client certificates are required");
                assertInstanceOf(SslAuthenticationException.class, refused.getCause(), "refused by the TLS handshake");
            }
        }
    }

    @Test
    void wrongPasswordIsRefusedAlikeForUnknownUsers() throws Exception {
        try (KafkaBroker broker = broker(SecurityProtocol.SASL_PLAINTEXT, null)) {
            String wrongPassword = refusal(broker, sasl(SecurityProtocol.SASL_PLAINTEXT, "SCRAM-SHA-512", "alice", "nope"));
            String unknownUser = refusal(broker, sasl(SecurityProtocol.SASL_PLAINTEXT, "SCRAM-SHA-512", "mallory", "nope"));
            String plainWrong = refusal(broker, sasl(SecurityProtocol.SASL_PLAINTEXT, "PLAIN", "alice", "nope"));
            String plainUnknown = refusal(broker, sasl(SecurityProtocol.SASL_PLAINTEXT, "PLAIN", "mallory", "nope"));
            assertEquals(wrongPassword, unknownUser, "the message does not tell whether the user exists (SCRAM)");
            assertEquals(plainWrong, plainUnknown, "the message does not tell whether the user exists (PLAIN)");
            assertFalse(wrongPassword.contains("alice"), "the message does not repeat the user: " + wrongPassword);
            // The same client with the right password still gets in.
            roundTrip(broker, "after-refusal",
                    sasl(SecurityProtocol.SASL_PLAINTEXT, "PLAIN", "alice", "alice-secret"),
                    sasl(SecurityProtocol.SASL_PLAINTEXT, "SCRAM-SHA-512", "alice", "alice-secret"));
        }
    }

    private static String refusal(KafkaBroker broker, Map<String, Object> props) throws Exception {
        try (Admin admin = admin(broker, props)) {
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> admin.describeCluster().clusterId().get(20, TimeUnit.SECONDS), "a wrong login is refused");
            assertInstanceOf(SaslAuthenticationException.class, refused.getCause(),
                    "refused as a SASL authentication failure: " + refused.getCause());
            return refused.getCause().getMessage();
        }
    }

    static Admin admin(KafkaBroker broker, Map<String, Object> props) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", broker.bootstrap());
        config.put("request.timeout.ms", 3000);
        config.put("default.api.timeout.ms", 4000);
        config.putAll(props);
        return Admin.create(config);
    }

    @Test
    void clientWithoutSaslGetsNothingFromASaslListener() throws Exception {
        try (KafkaBroker broker = broker(SecurityProtocol.SASL_PLAINTEXT, null);
             Admin admin = admin(broker, Map.of("request.timeout.ms", 1000, "default.api.timeout.ms", 1500))) {
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS),
                    "a PLAINTEXT client cannot use a SASL listener");
            assertFalse(failed.getCause() instanceof SaslAuthenticationException,
                    "it never authenticated, it was cut off: " + failed.getCause());
        }
    }

    @Test
    void beforeAuthenticationOnlyApiVersionsAndTheSaslExchangeAreServed() throws Exception {
        try (KafkaBroker broker = broker(SecurityProtocol.SASL_PLAINTEXT, null)) {
            try (RawKafkaConnection raw = new RawKafkaConnection(broker.listener.boundPort())) {
                raw.send(new ApiVersionsRequest.Builder().build((short) 3));
                ApiVersionsResponse versions = (ApiVersionsResponse) raw.receive(ApiKeys.API_VERSIONS, (short) 3);
                assertTrue(versions.data().apiKeys().find(ApiKeys.SASL_AUTHENTICATE.id) != null,
                        "ApiVersions, served before authentication, advertises SaslAuthenticate");
                raw.send(MetadataRequest.Builder.allTopics().build((short) 12));
                assertTrue(raw.closedByBroker(), "Metadata before authentication closes the connection");
            }
            // Before authentication a frame may announce at most Kafka's sasl.server.max.receive.size (512 KiB).
            try (RawKafkaConnection raw = new RawKafkaConnection(broker.listener.boundPort())) {
                raw.sendBytes(java.nio.ByteBuffer.allocate(8).putInt(KafkaFrameDecoder.SASL_MAX_RECEIVE_BYTES + 1)
                        .putInt(0).array());
                assertTrue(raw.closedByBroker(), "a large frame before authentication closes the connection");
            }
            // v1 handshake, SaslAuthenticate, then requests; a second handshake is out of order.
            try (RawKafkaConnection raw = new RawKafkaConnection(broker.listener.boundPort())) {
                raw.send(handshake("PLAIN", (short) 1));
                assertEquals(Errors.NONE, ((SaslHandshakeResponse) raw.receive(ApiKeys.SASL_HANDSHAKE, (short) 1)).error());
                raw.send(authenticate("\0alice\0alice-secret".getBytes(StandardCharsets.UTF_8)));
                SaslAuthenticateResponse authenticated = (SaslAuthenticateResponse) raw.receive(ApiKeys.SASL_AUTHENTICATE,
                        (short) 2);
                assertEquals(Errors.NONE, authenticated.error(), "PLAIN with the right password succeeds");
                raw.send(handshake("PLAIN", (short) 1));
                assertEquals(Errors.ILLEGAL_SASL_STATE,
                        ((SaslHandshakeResponse) raw.receive(ApiKeys.SASL_HANDSHAKE, (short) 1)).error(),
                        "a second SaslHandshake after success is ILLEGAL_SASL_STATE");
                raw.send(MetadataRequest.Builder.allTopics().build((short) 12));
                assertEquals(0, ((MetadataResponse) raw.receive(ApiKeys.METADATA, (short) 12)).errors().size(),
                        "an authenticated connection is served");
            }
            // v0 handshake then a bare token, as clients before Kafka 1.0.
            try (RawKafkaConnection raw = new RawKafkaConnection(broker.listener.boundPort())) {
                raw.send(handshake("PLAIN", (short) 0));
                assertEquals(Errors.NONE, ((SaslHandshakeResponse) raw.receive(ApiKeys.SASL_HANDSHAKE, (short) 0)).error());
                byte[] token = "\0bob\0bob-secret".getBytes(StandardCharsets.UTF_8);
                raw.sendBytes(java.nio.ByteBuffer.allocate(4 + token.length).putInt(token.length).put(token).array());
                java.io.DataInputStream in = new java.io.DataInputStream(raw.socket.getInputStream());
                assertEquals(0, in.readInt(), "PLAIN's empty server token comes back as a bare frame");
                raw.send(MetadataRequest.Builder.allTopics().build((short) 12));
                assertEquals(0, ((MetadataResponse) raw.receive(ApiKeys.METADATA, (short) 12)).errors().size(),
                        "served after a v0 exchange");
            }
            // A failed login: SASL_AUTHENTICATION_FAILED after the delay, then the close.
            try (RawKafkaConnection raw = new RawKafkaConnection(broker.listener.boundPort())) {
                raw.send(handshake("PLAIN", (short) 1));
                raw.receive(ApiKeys.SASL_HANDSHAKE, (short) 1);
                long start = System.nanoTime();
                raw.send(authenticate("\0alice\0wrong".getBytes(StandardCharsets.UTF_8)));
                SaslAuthenticateResponse failed = (SaslAuthenticateResponse) raw.receive(ApiKeys.SASL_AUTHENTICATE,
                        (short) 2);
                long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertEquals(Errors.SASL_AUTHENTICATION_FAILED, failed.error());
                assertTrue(waitedMs >= 90, "the answer waits connection.failed.authentication.delay.ms: " + waitedMs);
                assertTrue(raw.closedByBroker(), "the connection closes after a failed login");
            }
            // A token without a handshake is out of order.
            try (RawKafkaConnection raw = new RawKafkaConnection(broker.listener.boundPort())) {
                raw.send(authenticate("\0alice\0alice-secret".getBytes(StandardCharsets.UTF_8)));
                assertEquals(Errors.ILLEGAL_SASL_STATE,
                        ((SaslAuthenticateResponse) raw.receive(ApiKeys.SASL_AUTHENTICATE, (short) 2)).error(),
                        "SaslAuthenticate before SaslHandshake is ILLEGAL_SASL_STATE");
                assertTrue(raw.closedByBroker(), "and closes the connection");
            }
            // An unknown mechanism is answered with the enabled ones, then the connection closes.
            try (RawKafkaConnection raw = new RawKafkaConnection(broker.listener.boundPort())) {
                raw.send(handshake("GSSAPI", (short) 1));
                SaslHandshakeResponse response = (SaslHandshakeResponse) raw.receive(ApiKeys.SASL_HANDSHAKE, (short) 1);
                assertEquals(Errors.UNSUPPORTED_SASL_MECHANISM, response.error());
                assertEquals(ListenerSecurity.MECHANISMS, response.enabledMechanisms());
                assertTrue(raw.closedByBroker(), "the connection closes after an unsupported mechanism");
            }
        }
    }

    @Test
    void plainLoginsBeyondThePasswordCheckSlotsAreToldToRetryLater() throws Exception {
        // PasswordChecks runs at most (cores / 2) unseen passwords through PBKDF2 at once and refuses the rest;
        // 48 simultaneous PLAIN logins with fresh wrong passwords on 8 handler threads collide on a small machine.
        int attempts = 48;
        List<String> messages = new CopyOnWriteArrayList<>();
        try (KafkaBroker broker = broker(SecurityProtocol.SASL_PLAINTEXT, null)) {
            java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(attempts);
            java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(attempts);
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                int attempt = i;
                done.add(clients.submit(() -> {
                    try (RawKafkaConnection raw = new RawKafkaConnection(broker.listener.boundPort())) {
                        raw.send(handshake("PLAIN", (short) 1));
                        raw.receive(ApiKeys.SASL_HANDSHAKE, (short) 1);
                        ready.countDown();
                        ready.await();
                        raw.send(authenticate(("\0alice\0wrong-" + attempt).getBytes(StandardCharsets.UTF_8)));
                        SaslAuthenticateResponse response = (SaslAuthenticateResponse) raw.receive(
                                ApiKeys.SASL_AUTHENTICATE, (short) 2);
                        assertEquals(Errors.SASL_AUTHENTICATION_FAILED, response.error(), "a wrong password fails");
                        messages.add(response.errorMessage());
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> attempt : done) {
                attempt.get(30, TimeUnit.SECONDS);
            }
            clients.shutdown();
        }
        long busy = messages.stream().filter(message -> message.contains("retry later")).count();
        assertTrue(messages.stream().allMatch(message -> message.contains("retry later")
                || message.contains("invalid credentials with SASL mechanism PLAIN")),
                "a busy check says retry later, any other failure is a plain refusal: " + messages);
        if (Runtime.getRuntime().availableProcessors() <= 4) {
            assertTrue(busy > 0, "with at most 2 PBKDF2 slots some of " + attempts
                    + " simultaneous logins are told to retry later: " + messages);
        }
        System.out.println(busy + " of " + attempts + " simultaneous PLAIN logins were told to retry later");
    }

    static SaslHandshakeRequest handshake(String mechanism, short version) {
        return new SaslHandshakeRequest.Builder(new SaslHandshakeRequestData().setMechanism(mechanism)).build(version);
    }

    static SaslAuthenticateRequest authenticate(byte[] token) {
        return new SaslAuthenticateRequest.Builder(new SaslAuthenticateRequestData().setAuthBytes(token))
                .build((short) 2);
    }

    @Test
    void unauthenticatedListenersAreRefusedOnNonLoopbackAddresses() {
        ListenerSecurity plaintext = ListenerSecurity.PLAINTEXT;
        InvalidConfigException refused = assertThrows(InvalidConfigException.class,
                () -> KafkaListener.start(KafkaListenerConfig.defaults().withHost("0.0.0.0").withPort(0),
                        null, null, null, null, null, Runnable::run),
                "PLAINTEXT on 0.0.0.0 is refused at start");
        assertTrue(refused.getMessage().startsWith("HEARTH-0420"), refused.getMessage());
        assertTrue(refused.getMessage().contains("hearth.kafka.allow.unauthenticated")
                && refused.getMessage().contains("hearth.kafka.security.protocol"), "names the settings: "
                + refused.getMessage());
        ListenerSecurity sslWithoutClientCertificates = new ListenerSecurity(SecurityProtocol.SSL, serverTls(),
                ListenerSecurity.MECHANISMS, 100, false);
        assertThrows(InvalidConfigException.class,
                () -> KafkaListener.refuseUnauthenticatedExposure("0.0.0.0", sslWithoutClientCertificates),
                "SSL without required client certificates does not authenticate clients");
        assertThrows(InvalidConfigException.class,
                () -> KafkaListener.refuseUnauthenticatedExposure("::", plaintext), "the IPv6 wildcard is not loopback");
        // What is allowed.
        KafkaListener.refuseUnauthenticatedExposure("127.0.0.1", plaintext);
        KafkaListener.refuseUnauthenticatedExposure("localhost", plaintext);
        KafkaListener.refuseUnauthenticatedExposure("0.0.0.0", new ListenerSecurity(SecurityProtocol.PLAINTEXT, null,
                ListenerSecurity.MECHANISMS, 100, true));
        KafkaListener.refuseUnauthenticatedExposure("0.0.0.0", new ListenerSecurity(SecurityProtocol.SASL_PLAINTEXT,
                null, ListenerSecurity.MECHANISMS, 100, false));
        KafkaListener.refuseUnauthenticatedExposure("0.0.0.0", new ListenerSecurity(SecurityProtocol.SSL,
                serverTls().withClientAuth(ListenerSecurity.ClientAuth.REQUIRED), ListenerSecurity.MECHANISMS, 100,
                false));
    }

    @Test
    void tlsMisconfigurationsFailTheStartNamingTheSetting() {
        InvalidConfigException wrongPassword = assertThrows(InvalidConfigException.class, () -> ListenerTls.load(
                ListenerSecurity.Tls.pkcs12(certificates.serverKeystore.toString(), "wrong".toCharArray())));
        assertTrue(wrongPassword.getMessage().startsWith("HEARTH-0422")
                && wrongPassword.getMessage().contains("hearth.kafka.ssl.keystore.location"), wrongPassword.getMessage());
        InvalidConfigException missingPem = assertThrows(InvalidConfigException.class, () -> ListenerTls.load(
                new ListenerSecurity.Tls("PEM", null, "/nonexistent/chain.pem", "/nonexistent/key.pem", null, null,
                        null, null, null, null, null, null)));
        assertTrue(missingPem.getMessage().startsWith("HEARTH-0422"), missingPem.getMessage());
        InvalidConfigException noKeystore = assertThrows(InvalidConfigException.class,
                () -> KafkaListener.start(KafkaListenerConfig.defaults().withPort(0).withSecurity(new ListenerSecurity(
                        SecurityProtocol.SSL, ListenerSecurity.Tls.pkcs12("/nonexistent.p12", new char[0]),
                        ListenerSecurity.MECHANISMS, 100, false)), null, null, null, null, null, Runnable::run),
                "the listener does not start without its key store");
        assertTrue(noKeystore.getMessage().contains("/nonexistent.p12"), noKeystore.getMessage());
    }

    @Test
    void internalClientPropertiesReachASaslSslListener() throws Exception {
        try (KafkaBroker broker = broker(SecurityProtocol.SASL_SSL, serverTls())) {
            dev.hearth.security.InternalUser user = broker.security.internalUser();
            assertEquals("hearth-internal", user.name(), "Hearth's clients connect as hearth-internal by default");
            assertTrue(broker.security.acls().superUsers().contains(dev.hearth.security.Principals.user(user.name())),
                    "hearth-internal is a super user");
            Map<String, Object> internal = new HashMap<>(
                    broker.listener.internalClientProperties(user.name(), user.password()));
            assertEquals("SCRAM-SHA-512", internal.get("sasl.mechanism"));
            assertEquals("PEM", internal.get("ssl.truststore.type"), "trusts the listener's own certificate");
            roundTrip(broker, "internal-clients", internal, internal);
        }
    }
}
