package dev.hearth.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.hearth.platform.RestClient.Reply;

/**
 * The HTTP API on Hearth's one security model, on a real Payara Micro: Basic credentials checked against the
 * resource adapter's user directory (the SCRAM credentials Kafka clients use), every {@code /api} call decided by
 * Kafka's ACLs for {@code User:<name>} — a user granted Read on one topic through the REST ACL API reads it, gets a
 * 403 problem naming the missing operation for another, and does not see that one in its topic list; grant and
 * removal in the audit trail —, the users REST API (no secret ever answered or logged), 401 and 429 as problems, the
 * generated admin password of a Hearth without users (in an owner-only file, never in the log), a data directory
 * readable by Hearth's user only, and HTTPS with an operator's key store (the same boot).
 */
class SecurityIT {

    /** A user with a password from configuration and no roles: it may do what ACLs grant it, nothing else. */
    private static final String ALICE = "alice";
    private static final String ALICE_PASSWORD = "alice-Secret-1";
    private static final String GRANTED_TOPIC = "granted-topic";
    private static final String OTHER_TOPIC = "other-topic";
    /** Where the generated admin password is documented to be (README, Security). */
    private static final String PASSWORD_FILE = "initial-admin-password";
    private static final String KEY_STORE_PASSWORD = "keystore-Secret-1";
    private static final String CERT_ALIAS = "hearth";

    private static HearthServer server;
    private static Path keyStore;
    private static int httpsPort;

    @BeforeAll
    static void startWithUsers() throws IOException, InterruptedException {
        Path dataDir = Files.createDirectories(HearthServer.workDir().resolve("security-data-" + System.nanoTime()));
        keyStore = selfSignedKeyStore(dataDir.resolveSibling(dataDir.getFileName() + ".p12"));
        httpsPort = HearthServer.freePort();
        server = new HearthServer(dataDir, "security")
                .with("hearth.security.user." + ALICE + ".password", ALICE_PASSWORD)
                .withHttps(httpsPort, keyStore, KEY_STORE_PASSWORD, CERT_ALIAS)
                .start();
        RestClient admin = new RestClient(server.baseUri());
        for (String topic : new String[] {GRANTED_TOPIC, OTHER_TOPIC}) {
            Reply created = admin.post(RestClient.CLUSTER + "/topics", topic(topic));
            assertEquals(201, created.status(), "a super user may create a topic: " + created);
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void withoutCredentialsOrWithAWrongPasswordTheApiAnswers401WithABasicChallenge() {
        Reply reply = RestClient.anonymous(server.baseUri()).get(RestClient.CLUSTER + "/topics");
        assertEquals(401, reply.status(), "no credentials: " + reply);
        assertEquals("application/problem+json", reply.contentType(), "the 401 is a problem: " + reply);
        assertTrue(reply.wwwAuthenticate().startsWith("Basic realm=\"hearth\""),
                "the 401 challenges for Basic so that browsers prompt: " + reply.wwwAuthenticate());
        assertEquals(401, reply.object().getInt("status"), "the problem carries the status");

        Reply wrong = new RestClient(server.baseUri(), ALICE, "not-the-password").get(RestClient.CLUSTER + "/topics");
        assertEquals(401, wrong.status(), "a wrong password is no caller: " + wrong);
        assertEquals("application/problem+json", wrong.contentType(), "that 401 is a problem too: " + wrong);
        assertTrue(wrong.object().getString("detail").contains("wrong"), "it says why: " + wrong);

        Reply unknown = new RestClient(server.baseUri(), "nobody", ALICE_PASSWORD).get(RestClient.CLUSTER + "/topics");
        assertEquals(401, unknown.status(), "an unknown user is no caller: " + unknown);

        assertEquals(200, RestClient.anonymous(server.baseUri()).get("/health/ready").status(),
                "health stays open for orchestrators");
    }

    @Test
    void aUserGrantedReadOnATopicByRestAclReadsItAndNothingElseAndTheAuditTrailHasGrantAndRemoval() {
        RestClient admin = new RestClient(server.baseUri());
        RestClient alice = new RestClient(server.baseUri(), ALICE, ALICE_PASSWORD);
        String granted = RestClient.CLUSTER + "/topics/" + GRANTED_TOPIC + "/partitions/0/records?offset=0";
        String other = RestClient.CLUSTER + "/topics/" + OTHER_TOPIC + "/partitions/0/records?offset=0";

        Reply before = alice.get(granted);
        assertEquals(403, before.status(), "without an ACL a user may read nothing: " + before);
        assertEquals(0, alice.get(RestClient.CLUSTER + "/topics").object().getJsonArray("data").size(),
                "and sees no topic");

        Reply grant = admin.post(RestClient.CLUSTER + "/acls", Json.createObjectBuilder()
                .add("principal", "User:" + ALICE).add("resource_type", "TOPIC").add("resource_name", GRANTED_TOPIC)
                .add("operation", "READ").build());
        assertEquals(201, grant.status(), "a super user may create an ACL: " + grant);
        assertEquals("LITERAL", grant.object().getString("pattern_type"), "LITERAL by default: " + grant);
        assertEquals("ALLOW", grant.object().getString("permission"), "ALLOW by default: " + grant);
        assertEquals("*", grant.object().getString("host"), "every host by default: " + grant);

        Reply listed = admin.get(RestClient.CLUSTER + "/acls?principal=User:" + ALICE);
        assertEquals(200, listed.status(), "ACLs are listed with a filter: " + listed);
        assertEquals(1, listed.object().getJsonArray("data").size(), "alice has one ACL: " + listed);

        Reply read = alice.get(granted);
        assertEquals(200, read.status(), "Read on the topic lets the user read it over HTTP: " + read);

        Reply forbidden = alice.get(other);
        assertEquals(403, forbidden.status(), "another topic stays forbidden: " + forbidden);
        assertEquals("application/problem+json", forbidden.contentType(), "the 403 is a problem: " + forbidden);
        JsonObject problem = forbidden.object();
        assertEquals("READ", problem.getString("operation"), "the 403 names the missing operation: " + forbidden);
        assertEquals("TOPIC", problem.getString("resourceType"), "and the resource type: " + forbidden);
        assertEquals(OTHER_TOPIC, problem.getString("resourceName"), "and the resource: " + forbidden);
        assertEquals("User:" + ALICE, problem.getString("principal"), "and whose request it was: " + forbidden);
        assertTrue(problem.getString("detail").contains("READ") && problem.getString("detail").contains(OTHER_TOPIC),
                "the detail says it too: " + forbidden);

        List<String> visible = alice.get(RestClient.CLUSTER + "/topics").object().getJsonArray("data")
                .getValuesAs(JsonObject.class).stream().map(topic -> topic.getString("topic_name")).toList();
        assertEquals(List.of(GRANTED_TOPIC), visible, "the topic list holds only what the user may describe "
                + "(Read implies Describe), as Kafka's Metadata");
        assertEquals(403, alice.post(RestClient.CLUSTER + "/topics/" + GRANTED_TOPIC + "/records", record()).status(),
                "Read does not grant Write");
        assertEquals(403, alice.get(RestClient.CLUSTER + "/acls").status(), "nor listing ACLs (Describe on the cluster)");
        assertEquals(403, alice.post(RestClient.CLUSTER + "/acls", Json.createObjectBuilder()
                        .add("principal", "User:" + ALICE).add("resource_type", "TOPIC").add("resource_name", OTHER_TOPIC)
                        .add("operation", "READ").build()).status(), "nor granting itself more (Alter on the cluster)");

        String group = "alice-group-" + System.nanoTime();
        Reply reset = admin.post(RestClient.CLUSTER + "/consumer-groups/" + group + "/offsets:reset", Json.createObjectBuilder()
                .add("to", "offsets").add("offsets", Json.createArrayBuilder()
                        .add(Json.createObjectBuilder().add("topic_name", GRANTED_TOPIC).add("partition_id", 0).add("offset", 0))
                        .add(Json.createObjectBuilder().add("topic_name", OTHER_TOPIC).add("partition_id", 0).add("offset", 0)))
                .build());
        assertEquals(200, reset.status(), "a super user commits offsets for a new group: " + reset);
        assertEquals(403, alice.get(RestClient.CLUSTER + "/consumer-groups/" + group).status(),
                "describing a group needs Describe on it");
        assertEquals(201, admin.post(RestClient.CLUSTER + "/acls", Json.createObjectBuilder()
                .add("principal", "User:" + ALICE).add("resource_type", "GROUP").add("resource_name", group)
                .add("operation", "DESCRIBE").build()).status(), "Describe on the group is granted");
        List<String> groups = alice.get(RestClient.CLUSTER + "/consumer-groups").object().getJsonArray("data")
                .getValuesAs(JsonObject.class).stream().map(g -> g.getString("consumer_group_id")).toList();
        assertEquals(List.of(group), groups, "the group list holds only what the user may describe, as ListGroups");
        Reply described = alice.get(RestClient.CLUSTER + "/consumer-groups/" + group);
        assertEquals(200, described.status(), "the group is described: " + described);
        assertEquals(List.of(GRANTED_TOPIC), described.object().getJsonArray("offsets").getValuesAs(JsonObject.class)
                .stream().map(offset -> offset.getString("topic_name")).toList(),
                "with the offsets of topics the user may describe only, as OffsetFetch: " + described);
        assertEquals(1, admin.delete(RestClient.CLUSTER + "/acls?resource_type=GROUP&resource_name=" + group)
                .object().getJsonArray("data").size(), "the group's ACL is deleted");

        Reply removed = admin.delete(RestClient.CLUSTER + "/acls?resource_type=TOPIC&resource_name=" + GRANTED_TOPIC
                + "&principal=User:" + ALICE);
        assertEquals(200, removed.status(), "ACLs are deleted by filter: " + removed);
        assertEquals(1, removed.object().getJsonArray("data").size(), "the one grant is deleted: " + removed);
        Reply after = alice.get(granted);
        assertEquals(403, after.status(), "the removal applies to the next request: " + after);

        JsonArray audit = admin.get(RestClient.CLUSTER + "/audit-entries?resource_type=acl&resource_name="
                + encode("TOPIC:LITERAL:" + GRANTED_TOPIC)).object().getJsonArray("data");
        List<String> actions = audit.getValuesAs(JsonObject.class).stream().map(entry -> entry.getString("action")).toList();
        assertEquals(List.of("DELETE_ACLS", "CREATE_ACLS"), actions, "grant and removal are audited, newest first: " + audit);
        for (JsonObject entry : audit.getValuesAs(JsonObject.class)) {
            assertEquals(HearthServer.ADMIN_USER, entry.getString("principal"), "by whom: " + entry);
            assertTrue(entry.getString("detail").contains("User:" + ALICE) && entry.getString("detail").contains("READ"),
                    "the entry names the ACL: " + entry);
        }

        Reply invalid = admin.post(RestClient.CLUSTER + "/acls", Json.createObjectBuilder()
                .add("principal", "User:" + ALICE).add("resource_type", "TOPIC").add("resource_name", OTHER_TOPIC)
                .add("operation", "FLY").build());
        assertEquals(400, invalid.status(), "an invalid ACL is refused: " + invalid);
        assertEquals("application/problem+json", invalid.contentType(), "as a problem: " + invalid);
        assertTrue(invalid.object().getString("detail").contains("FLY"), "that names the field: " + invalid);
        assertEquals(400, admin.delete(RestClient.CLUSTER + "/acls").status(),
                "a bare DELETE does not remove every ACL");
    }

    @Test
    void usersAreManagedOverRestWithoutAnySecretAnsweredOrLogged() {
        RestClient admin = new RestClient(server.baseUri());
        String user = "bob-" + System.nanoTime();
        String password = "bob-Password-" + System.nanoTime();
        String users = RestClient.CLUSTER + "/users";

        Reply created = admin.put(users + "/" + user, Json.createObjectBuilder().add("password", password).build());
        assertEquals(200, created.status(), "a super user creates a user: " + created);
        assertFalse(created.body().contains(password), "the answer has no password: " + created);
        JsonObject described = admin.get(users).object().getJsonArray("data").getValuesAs(JsonObject.class).stream()
                .filter(entry -> entry.getString("user_name").equals(user)).findFirst().orElseThrow();
        assertEquals("User:" + user, described.getString("principal"), "the user's principal: " + described);
        assertEquals(List.of("SCRAM-SHA-256", "SCRAM-SHA-512"), described.getJsonArray("scram_credentials")
                .getValuesAs(JsonObject.class).stream().map(c -> c.getString("mechanism")).toList(),
                "both SCRAM mechanisms, as Kafka clients need: " + described);
        for (String secret : List.of("salt", "stored", "server_key", "password")) {
            assertFalse(described.toString().contains(secret), "no " + secret + " in " + described);
        }

        RestClient bob = new RestClient(server.baseUri(), user, password);
        Reply topics = bob.get(RestClient.CLUSTER + "/topics");
        assertEquals(200, topics.status(), "the new user authenticates at once: " + topics);
        assertEquals(0, topics.object().getJsonArray("data").size(), "and, without ACLs, sees no topic");
        Reply cluster = bob.get(RestClient.CLUSTER);
        assertEquals(403, cluster.status(), "nor the cluster: " + cluster);
        assertEquals("DESCRIBE", cluster.object().getString("operation"), "Describe on the cluster: " + cluster);
        assertEquals(403, bob.put(users + "/" + user, Json.createObjectBuilder().add("password", "x").build()).status(),
                "a user without Alter on the cluster changes no password, not even its own");

        String changed = password + "-changed";
        assertEquals(200, admin.put(users + "/" + user, Json.createObjectBuilder().add("password", changed).build())
                .status(), "the password is changed");
        assertEquals(401, bob.get(RestClient.CLUSTER + "/topics").status(), "the old password no longer works");
        assertEquals(200, new RestClient(server.baseUri(), user, changed).get(RestClient.CLUSTER + "/topics").status(),
                "the new one does");
        assertEquals(400, admin.put(users + "/" + user, Json.createObjectBuilder().add("password", "").build()).status(),
                "an empty password is refused");
        assertEquals(400, admin.put(users + "/ANONYMOUS", Json.createObjectBuilder().add("password", password).build())
                .status(), "no user may be ANONYMOUS, the super user that unauthenticated Kafka clients are");

        assertEquals(204, admin.delete(users + "/" + user).status(), "the user is deleted");
        assertEquals(401, new RestClient(server.baseUri(), user, changed).get(RestClient.CLUSTER + "/topics").status(),
                "a deleted user is no caller");
        Reply again = admin.delete(users + "/" + user);
        assertEquals(404, again.status(), "deleting an unknown user: " + again);
        assertEquals("application/problem+json", again.contentType(), "is a problem: " + again);

        List<String> actions = admin.get(RestClient.CLUSTER + "/audit-entries?resource_type=user&resource_name=" + user)
                .object().getJsonArray("data").getValuesAs(JsonObject.class).stream()
                .map(entry -> entry.getString("action")).toList();
        assertEquals(List.of("DELETE_USER", "ALTER_USER", "ALTER_USER"), actions, "every change is audited");
        assertFalse(server.log().contains(password), "no password reaches the log; see " + server.logFile());
        assertFalse(admin.get(RestClient.CLUSTER + "/audit-entries").body().contains(password),
                "nor the audit trail");
    }

    @Test
    void theProducerRoleIsShorthandForAclsThatLetItProduceButNotDeleteOrAdminister() {
        RestClient producer = new RestClient(server.baseUri(), HearthServer.PRODUCER_USER, HearthServer.PRODUCER_PASSWORD);
        Reply produced = producer.post(RestClient.CLUSTER + "/topics/" + OTHER_TOPIC + "/records", record());
        assertEquals(200, produced.status(), "role producer (every topic) is Write on every topic: " + produced);
        Reply deleted = producer.delete(RestClient.CLUSTER + "/topics/" + OTHER_TOPIC);
        assertEquals(403, deleted.status(), "but not Delete: " + deleted);
        assertEquals("DELETE", deleted.object().getString("operation"), "the 403 names Delete: " + deleted);
        assertEquals(403, producer.get(RestClient.CLUSTER + "/users").status(), "nor Describe on the cluster");
        Reply acls = new RestClient(server.baseUri()).get(RestClient.CLUSTER + "/acls?principal=User:"
                + HearthServer.PRODUCER_USER + "&resource_type=TOPIC&operation=WRITE");
        assertEquals(1, acls.object().getJsonArray("data").size(), "the role's ACLs are ordinary ACLs: " + acls);
    }

    @Test
    void httpsServesTheApiWithTheOperatorsKeyStore() throws Exception {
        HttpClient https = HttpClient.newBuilder().sslContext(trusting(keyStore)).build();
        HttpResponse<String> reply = https.send(HttpRequest.newBuilder(
                        URI.create("https://127.0.0.1:" + httpsPort + RestClient.CLUSTER + "/topics"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (HearthServer.ADMIN_USER + ":" + HearthServer.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, reply.statusCode(), "the API answers over HTTPS: " + reply.body());
        assertTrue(reply.body().contains(GRANTED_TOPIC), "the same API: " + reply.body());
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
        assertTrue(modes.keySet().stream().anyMatch(path -> path.endsWith(Path.of("security", "users"))),
                "and the user directory: " + modes.keySet());
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
            assertFalse(Files.readString(dataDir.resolve("security").resolve("users")).contains(password),
                    "the user directory holds SCRAM credentials, not the password");
            RestClient admin = new RestClient(first.baseUri(), "admin", password);
            assertEquals(201, admin.post(RestClient.CLUSTER + "/topics", topic("generated")).status(),
                    "the generated password works: admin is a super user");
            assertEquals(200, admin.get(RestClient.CLUSTER + "/users").status(), "and may list users");
            first.stop();
        }
        try (HearthServer second = new HearthServer(dataDir, "security-generated-" + run + "-2").withoutTestUsers().start()) {
            assertFalse(second.log().contains("HEARTH-0801"), "the second start issues no new password");
            assertEquals(password, Files.readString(passwordFile).trim(), "nor rewrites the password file");
            Reply listed = new RestClient(second.baseUri(), "admin", password).get(RestClient.CLUSTER + "/topics");
            assertEquals(200, listed.status(), "the stored credentials still work after a restart: " + listed);
            second.stop();
        }
    }

    /** A PKCS#12 key store with a self-signed certificate for 127.0.0.1, made by the JDK's keytool. */
    private static Path selfSignedKeyStore(Path file) throws IOException, InterruptedException {
        Files.deleteIfExists(file);
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", CERT_ALIAS, "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "san=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", file.toString(), "-storepass", KEY_STORE_PASSWORD, "-keypass", KEY_STORE_PASSWORD)
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, "keytool: " + output);
        return file;
    }

    private static SSLContext trusting(Path store) throws IOException, GeneralSecurityException {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            trusted.load(in, KEY_STORE_PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
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
