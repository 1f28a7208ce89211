package dev.hearth.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.hearth.platform.RestClient.Reply;

/**
 * The HTTP API's authentication and authorization on a real Payara Micro: Basic credentials from MicroProfile
 * Config, 401 and 403 as problems, roles and per-topic permissions, the generated admin password of a
 * Hearth with no configured users (in an owner-only file, never in the log; a damaged credentials file is
 * regenerated), and a data directory readable by Hearth's user only.
 */
class SecurityIT {

    private static final String READER = "reader";
    private static final String READER_PASSWORD = "reader-Secret-1";
    private static final String NARROW = "narrow";
    private static final String NARROW_PASSWORD = "narrow-Secret-1";
    private static final String ALLOWED_TOPIC = "allowed-topic";
    private static final String OTHER_TOPIC = "other-topic";
    /** Where the generated admin password is documented to be (README, Security). */
    private static final String PASSWORD_FILE = "initial-admin-password";
    private static final String CREDENTIALS_FILE = "admin-credentials";

    private static HearthServer server;

    @BeforeAll
    static void startWithUsers() throws IOException {
        server = new HearthServer(Files.createDirectories(HearthServer.workDir().resolve("security-data-" + System.nanoTime())),
                "security")
                .with("hearth.security.user." + READER + ".password", READER_PASSWORD)
                .with("hearth.security.user." + READER + ".roles", "consumer")
                .with("hearth.security.user." + NARROW + ".password", NARROW_PASSWORD)
                .with("hearth.security.user." + NARROW + ".roles", "producer")
                .with("hearth.security.user." + NARROW + ".topics", ALLOWED_TOPIC)
                .start();
        RestClient admin = new RestClient(server.baseUri());
        for (String topic : new String[] {ALLOWED_TOPIC, OTHER_TOPIC}) {
            Reply created = admin.post(RestClient.CLUSTER + "/topics", topic(topic));
            assertEquals(201, created.status(), "the admin user may create a topic: " + created);
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void withoutCredentialsTheApiAnswers401WithABasicChallenge() {
        Reply reply = RestClient.anonymous(server.baseUri()).get(RestClient.CLUSTER + "/topics");
        assertEquals(401, reply.status(), "no credentials: " + reply);
        assertEquals("application/problem+json", reply.contentType(), "the 401 is a problem: " + reply);
        assertTrue(reply.wwwAuthenticate().startsWith("Basic realm=\"hearth\""),
                "the 401 challenges for Basic so that browsers prompt: " + reply.wwwAuthenticate());
        assertEquals(401, reply.object().getInt("status"), "the problem carries the status");

        Reply wrong = new RestClient(server.baseUri(), HearthServer.ADMIN_USER, "not-the-password")
                .get(RestClient.CLUSTER + "/topics");
        assertEquals(401, wrong.status(), "a wrong password is no caller: " + wrong);
        assertEquals("application/problem+json", wrong.contentType(), "that 401 is a problem too: " + wrong);

        assertEquals(200, RestClient.anonymous(server.baseUri()).get("/health/ready").status(),
                "health stays open for orchestrators");
    }

    @Test
    void aConsumerMayReadButNotCreateTopics() {
        RestClient reader = new RestClient(server.baseUri(), READER, READER_PASSWORD);
        Reply created = reader.post(RestClient.CLUSTER + "/topics", topic("reader-" + System.nanoTime()));
        assertEquals(403, created.status(), "a consumer-only user may not create topics: " + created);
        assertEquals("application/problem+json", created.contentType(), "the 403 is a problem: " + created);
        assertTrue(created.object().getString("detail").contains("admin"), "the 403 names the missing role: " + created);

        Reply produced = reader.post(RestClient.CLUSTER + "/topics/" + ALLOWED_TOPIC + "/records", record());
        assertEquals(403, produced.status(), "a consumer-only user may not produce: " + produced);

        Reply read = reader.get(RestClient.CLUSTER + "/topics/" + ALLOWED_TOPIC + "/partitions/0/records?offset=0");
        assertEquals(200, read.status(), "a consumer may read: " + read);
    }

    @Test
    void aUserOutsideItsTopicsIsForbidden() {
        RestClient narrow = new RestClient(server.baseUri(), NARROW, NARROW_PASSWORD);
        Reply allowed = narrow.post(RestClient.CLUSTER + "/topics/" + ALLOWED_TOPIC + "/records", record());
        assertEquals(200, allowed.status(), "a producer may produce to its topic: " + allowed);

        Reply other = narrow.post(RestClient.CLUSTER + "/topics/" + OTHER_TOPIC + "/records", record());
        assertEquals(403, other.status(), "a topic outside the user's list is forbidden: " + other);
        assertEquals("application/problem+json", other.contentType(), "the 403 is a problem: " + other);
        assertEquals(OTHER_TOPIC, other.object().getString("topic"), "the 403 names the topic: " + other);

        Reply read = narrow.get(RestClient.CLUSTER + "/topics/" + OTHER_TOPIC + "/partitions/0/records?offset=0");
        assertEquals(403, read.status(), "reading a topic outside the list is forbidden too: " + read);
    }

    @Test
    void theProducerTestUserMayProduceButNotDelete() {
        RestClient producer = new RestClient(server.baseUri(), HearthServer.PRODUCER_USER, HearthServer.PRODUCER_PASSWORD);
        Reply produced = producer.post(RestClient.CLUSTER + "/topics/" + OTHER_TOPIC + "/records", record());
        assertEquals(200, produced.status(), "a producer with every topic may produce: " + produced);
        Reply deleted = producer.delete(RestClient.CLUSTER + "/topics/" + OTHER_TOPIC);
        assertEquals(403, deleted.status(), "a producer may not delete topics: " + deleted);
    }

    @Test
    void theDataDirectoryIsReadableByHearthsUserOnly() throws IOException {
        RestClient producer = new RestClient(server.baseUri(), HearthServer.PRODUCER_USER, HearthServer.PRODUCER_PASSWORD);
        assertEquals(200, producer.post(RestClient.CLUSTER + "/topics/" + OTHER_TOPIC + "/records", record()).status(),
                "a record, so that segments exist");
        // The harness created the data directory with the umask's mode (group and others may list it).
        Map<Path, String> modes = modes(server.dataDir());
        assertTrue(modes.keySet().stream().anyMatch(path -> path.toString().endsWith(".log")),
                "the walk covers segment files: " + modes.keySet());
        assertTrue(modes.keySet().stream().anyMatch(path -> path.endsWith(Path.of("database", "hearth.mv.db"))),
                "and the embedded H2 database: " + modes.keySet());
        modes.forEach((path, mode) -> assertTrue(mode.endsWith("------"),
                path + " has no group or other permission, but is " + mode));
    }

    @Test
    void withoutConfiguredUsersAnAdminPasswordIsGeneratedIntoAnOwnerOnlyFileAndKept() throws IOException {
        // Log files are appended to across builds: fresh names, so that only this run's output is searched.
        long run = System.nanoTime();
        Path dataDir = Files.createDirectories(HearthServer.workDir().resolve("security-generated-" + run));
        Path passwordFile = dataDir.resolve(PASSWORD_FILE);
        String password;
        try (HearthServer first = new HearthServer(dataDir, "security-generated-" + run + "-1").withoutTestUsers().start()) {
            password = Files.readString(passwordFile).trim();
            assertTrue(password.length() >= 20, "the first start writes a long random password to " + passwordFile);
            assertEquals("rw-------", mode(passwordFile), "the password file is readable by Hearth's user only");
            assertTrue(first.log().contains("HEARTH-0801") && first.log().contains(passwordFile.toAbsolutePath().toString()),
                    "the log says where the password is; see " + first.logFile());
            assertFalse(first.log().contains(password), "the log does not contain the password; see " + first.logFile());
            assertFalse(Files.readString(dataDir.resolve(CREDENTIALS_FILE)).contains(password),
                    "the credentials file holds a hash, not the password");
            assertEquals(201, new RestClient(first.baseUri(), "admin", password)
                    .post(RestClient.CLUSTER + "/topics", topic("generated")).status(), "the generated password works");
            first.stop();
        }
        try (HearthServer second = new HearthServer(dataDir, "security-generated-" + run + "-2").withoutTestUsers().start()) {
            assertFalse(second.log().contains("HEARTH-0801"), "the second start issues no new password");
            assertEquals(password, Files.readString(passwordFile).trim(), "nor rewrites the password file");
            Reply listed = new RestClient(second.baseUri(), "admin", password).get(RestClient.CLUSTER + "/topics");
            assertEquals(200, listed.status(), "the stored password still works after a restart: " + listed);
            second.stop();
        }

        // What a power cut left under an older Hearth that wrote the file without fsync: an empty file.
        Files.write(dataDir.resolve(CREDENTIALS_FILE), new byte[0]);
        try (HearthServer third = new HearthServer(dataDir, "security-generated-" + run + "-3").withoutTestUsers().start()) {
            assertTrue(third.log().lines().anyMatch(line -> line.contains("HEARTH-0805")
                            && line.contains(dataDir.resolve(CREDENTIALS_FILE).toAbsolutePath().toString())),
                    "the damaged credentials file is reported by name; see " + third.logFile());
            String regenerated = Files.readString(passwordFile).trim();
            assertNotEquals(password, regenerated, "a new password is issued the documented way");
            assertFalse(third.log().contains(regenerated), "and not logged either; see " + third.logFile());
            assertEquals(200, new RestClient(third.baseUri(), "admin", regenerated).get(RestClient.CLUSTER + "/topics")
                    .status(), "the web application deployed and accepts the new password");
            assertEquals(401, new RestClient(third.baseUri(), "admin", password).get(RestClient.CLUSTER + "/topics")
                    .status(), "the lost hash's password no longer works");
        }
    }

    /** The mode of everything below {@code root}; files that vanish during the walk (temp files) are skipped. */
    private static Map<Path, String> modes(Path root) throws IOException {
        Map<Path, String> modes = new TreeMap<>();
        List<Path> paths;
        try (Stream<Path> tree = Files.walk(root)) {
            paths = tree.toList();
        }
        for (Path path : paths) {
            try {
                modes.put(path, mode(path));
            } catch (NoSuchFileException e) {
                // Renamed or deleted since the walk listed it.
            }
        }
        return modes;
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static JsonObject topic(String name) {
        return Json.createObjectBuilder().add("topic_name", name).add("partitions_count", 1).build();
    }

    private static JsonValue record() {
        return Json.createObjectBuilder().add("partition_id", 0)
                .add("value", Json.createObjectBuilder().add("type", "STRING").add("data", "secured")).build();
    }
}
