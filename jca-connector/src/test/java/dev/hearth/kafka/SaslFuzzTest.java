package dev.hearth.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.apache.kafka.common.requests.SaslAuthenticateResponse;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.apache.kafka.common.requests.SaslHandshakeResponse;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.engine.EngineConfig;

/**
 * Malformed SASL exchanges on raw sockets: valid SaslHandshake and SaslAuthenticate frames (PLAIN and SCRAM, v0 bare
 * tokens included) mutated by bit flips, overwritten and inserted bytes, truncation, wrong versions and lengths.
 * Each attempt must cost the broker one closed connection and nothing else: no failure inside the broker, no
 * connection left authenticated by accident, and a legitimate client still works afterwards.
 */
class SaslFuzzTest {

    private static final int ATTEMPTS = 3_000;

    @TempDir
    Path dataDir;

    @Test
    void malformedSaslFramesCloseTheirConnectionOnly() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        System.out.println("SaslFuzzTest seed " + seed + " (-Dfuzz.seed to repeat)");
        List<String> brokerFailures = new CopyOnWriteArrayList<>();
        Handler failures = new Handler() {
            @Override
            public void publish(LogRecord record) {
                String message = String.valueOf(record.getMessage());
                // Client mistakes are HEARTH-0401/0403/0423/0424; these would be the broker's own failures.
                if (message.startsWith("HEARTH-0404") || message.startsWith("HEARTH-0224")
                        || message.startsWith("HEARTH-0402") || record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    brokerFailures.add(message + " " + record.getThrown());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger kafkaLogs = Logger.getLogger("dev.hearth.kafka");
        kafkaLogs.addHandler(failures);
        KafkaListenerConfig config = KafkaListenerConfig.defaults().withPort(0)
                .withLimits(ListenerLimits.DEFAULTS.withMaxConnections(100_000, 100_000))
                .withSecurity(new ListenerSecurity(SecurityProtocol.SASL_PLAINTEXT, null, ListenerSecurity.MECHANISMS,
                        0, false));
        try (KafkaBroker broker = new KafkaBroker(EngineConfig.defaults(dataDir), config, ListenerSecurityTest.users())) {
            int port = broker.listener.boundPort();
            // Failed logins close at once here (no delay): the delay is not what this test is about.
            ExecutorService threads = Executors.newFixedThreadPool(4);
            List<Future<Integer>> results = new ArrayList<>();
            long start = System.nanoTime();
            for (int t = 0; t < 4; t++) {
                Random random = new Random(seed + t);
                results.add(threads.submit(() -> {
                    int sent = 0;
                    for (int i = 0; i < ATTEMPTS / 4; i++) {
                        sent += attempt(port, random);
                    }
                    return sent;
                }));
            }
            int frames = 0;
            for (Future<Integer> result : results) {
                frames += result.get();
            }
            threads.shutdown();
            System.out.println("SaslFuzzTest: " + ATTEMPTS + " connections, " + frames + " frames in "
                    + (System.nanoTime() - start) / 1_000_000 + " ms");
            legitimateExchange(port);
            ListenerSecurityTest.roundTrip(broker, "after-fuzz",
                    ListenerSecurityTest.sasl(SecurityProtocol.SASL_PLAINTEXT, "SCRAM-SHA-512", "alice", "alice-secret"),
                    ListenerSecurityTest.sasl(SecurityProtocol.SASL_PLAINTEXT, "PLAIN", "bob", "bob-secret"));
        } finally {
            kafkaLogs.removeHandler(failures);
        }
        assertEquals(List.of(), brokerFailures, "malformed SASL frames cause no failure inside the broker");
    }

    /** One connection: a (maybe mutated) handshake and a few (maybe mutated) tokens, written without reading. */
    private static int attempt(int port, Random random) throws IOException {
        int frames = 0;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            String mechanism = ListenerSecurity.MECHANISMS.get(random.nextInt(3));
            short handshakeVersion = (short) random.nextInt(2);
            byte[] handshake = frame(new SaslHandshakeRequest.Builder(new SaslHandshakeRequestData()
                    .setMechanism(random.nextInt(10) == 0 ? randomText(random) : mechanism)).build(handshakeVersion), random);
            out.write(random.nextInt(3) == 0 ? mutate(handshake, random) : handshake);
            frames++;
            int tokens = 1 + random.nextInt(3);
            for (int i = 0; i < tokens; i++) {
                byte[] token = token(mechanism, i, random);
                byte[] frame = handshakeVersion == 0 && random.nextBoolean()
                        ? bare(token)
                        : frame(new SaslAuthenticateRequest.Builder(new SaslAuthenticateRequestData().setAuthBytes(token))
                                .build((short) random.nextInt(3)), random);
                out.write(random.nextInt(4) == 0 ? frame : mutate(frame, random));
                frames++;
            }
            if (random.nextInt(5) == 0) {
                out.write(frame(MetadataRequest.Builder.allTopics().build((short) 12), random));
                frames++;
            }
            out.flush();
            // Every frame is read and handled (or the connection closed) before the broker sees the end of input.
            socket.shutdownOutput();
            java.io.InputStream in = socket.getInputStream();
            byte[] sink = new byte[4096];
            while (in.read(sink) >= 0) {
                // Drains the answers until the broker closes.
            }
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError("the broker neither answered nor closed within 10 s", e);
        } catch (IOException e) {
            // The broker closed first (a reset): expected for many attempts.
        }
        return frames;
    }

    /** A plausible token of step {@code step}: PLAIN credentials, SCRAM first and final messages, or noise. */
    private static byte[] token(String mechanism, int step, Random random) {
        String text = switch (random.nextInt(4)) {
            case 0 -> "\0alice\0" + (random.nextBoolean() ? "alice-secret" : randomText(random));
            case 1 -> "n,,n=" + (random.nextBoolean() ? "alice" : randomText(random)) + ",r=" + randomText(random);
            case 2 -> "c=biws,r=" + randomText(random) + ",p=" + java.util.Base64.getEncoder()
                    .encodeToString(randomBytes(random, 1 + random.nextInt(80)));
            default -> new String(randomBytes(random, random.nextInt(300)), StandardCharsets.ISO_8859_1);
        };
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] frame(AbstractRequest request, Random random) {
        RequestHeader header = new RequestHeader(request.apiKey(), request.version(), "fuzz", random.nextInt());
        ByteBuffer body = request.serializeWithHeader(header);
        return ByteBuffer.allocate(4 + body.remaining()).putInt(body.remaining()).put(body).array();
    }

    private static byte[] bare(byte[] token) {
        return ByteBuffer.allocate(4 + token.length).putInt(token.length).put(token).array();
    }

    /** Flips bits, overwrites or inserts bytes, truncates, or rewrites the length or version fields. */
    private static byte[] mutate(byte[] frame, Random random) {
        byte[] bytes = frame.clone();
        switch (random.nextInt(6)) {
            case 0 -> {
                for (int i = 0; i < 1 + random.nextInt(4); i++) {
                    int at = random.nextInt(bytes.length);
                    bytes[at] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> {
                for (int i = 0; i < 1 + random.nextInt(8) && bytes.length > 4; i++) {
                    bytes[4 + random.nextInt(bytes.length - 4)] = (byte) random.nextInt(256);
                }
            }
            case 2 -> {
                int keep = 4 + random.nextInt(Math.max(1, bytes.length - 4));
                byte[] truncated = java.util.Arrays.copyOf(bytes, keep);
                ByteBuffer.wrap(truncated).putInt(keep - 4); // a consistent frame with a short body
                bytes = truncated;
            }
            case 3 -> {
                byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1 + random.nextInt(64));
                for (int i = bytes.length; i < longer.length; i++) {
                    longer[i] = (byte) random.nextInt(256);
                }
                ByteBuffer.wrap(longer).putInt(longer.length - 4);
                bytes = longer;
            }
            case 4 -> {
                if (bytes.length >= 8) { // a bare token may be shorter than a request header
                    ByteBuffer.wrap(bytes).putShort(6, (short) (random.nextInt(20) - 5)); // api version
                }
            }
            default -> {
                // A string or bytes length inside the body set to something else.
                int at = 8 + random.nextInt(Math.max(1, bytes.length - 10));
                if (at + 2 <= bytes.length) {
                    ByteBuffer.wrap(bytes).putShort(at, (short) random.nextInt());
                }
            }
        }
        return bytes;
    }

    private static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(24); i > 0; i--) {
            text.append((char) (random.nextInt(3) == 0 ? random.nextInt(0x250) : 'a' + random.nextInt(26)));
        }
        return text.toString();
    }

    private static byte[] randomBytes(Random random, int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    /** PLAIN as a client does it, then a request served. */
    private static void legitimateExchange(int port) throws IOException {
        try (RawKafkaConnection raw = new RawKafkaConnection(port)) {
            raw.send(ListenerSecurityTest.handshake("PLAIN", (short) 1));
            assertEquals(Errors.NONE, ((SaslHandshakeResponse) raw.receive(ApiKeys.SASL_HANDSHAKE, (short) 1)).error());
            raw.send(ListenerSecurityTest.authenticate("\0alice\0alice-secret".getBytes(StandardCharsets.UTF_8)));
            assertEquals(Errors.NONE, ((SaslAuthenticateResponse) raw.receive(ApiKeys.SASL_AUTHENTICATE, (short) 2))
                    .error(), "a correct login still succeeds after the fuzzing");
            raw.send(MetadataRequest.Builder.allTopics().build((short) 12));
            assertTrue(((MetadataResponse) raw.receive(ApiKeys.METADATA, (short) 12)).errors().isEmpty(),
                    "and is served");
        }
    }
}
