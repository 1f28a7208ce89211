package dev.hearth.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user directory: salted SCRAM credentials, durable, checked the way SASL and HTTP Basic check them. */
class ScramUserStoreTest {

    @TempDir
    Path dir;

    @Test
    void passwordsAreStoredAsScramCredentialsOnlyAndSurviveReopening() throws Exception {
        ScramUserStore users = ScramUserStore.open(dir);
        users.setPassword("alice", ScramMechanism.SCRAM_SHA_512, "s3cret-Pass".toCharArray(), 4096);
        String file = Files.readString(dir.resolve(ScramUserStore.FILE_NAME), StandardCharsets.UTF_8);
        assertFalse(file.contains("s3cret-Pass"), "no password on disk");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                dir.resolve(ScramUserStore.FILE_NAME))));
        ScramUserStore reopened = ScramUserStore.open(dir);
        assertTrue(reopened.verifyPassword("alice", "s3cret-Pass".toCharArray()));
        assertFalse(reopened.verifyPassword("alice", "s3cret-pass".toCharArray()));
        assertFalse(reopened.verifyPassword("bob", "s3cret-Pass".toCharArray()));
        assertEquals(Map.of("alice", Map.of(ScramMechanism.SCRAM_SHA_512, 4096)), reopened.describe());
    }

    @Test
    void aSaltedPasswordFromAClientGivesTheCredentialThePasswordGives() throws Exception {
        ScramMechanism mechanism = ScramMechanism.SCRAM_SHA_256;
        byte[] salt = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        byte[] salted = new ScramFormatter(mechanism).saltedPassword("pw-from-kafka-configs", salt, 8192);
        ScramCredential credential = ScramUserStore.fromSaltedPassword(mechanism, salt, salted, 8192);
        ScramUserStore users = ScramUserStore.open(dir);
        users.put("carol", mechanism, credential);
        assertTrue(users.verifyPassword("carol", "pw-from-kafka-configs".toCharArray()));
        assertArrayEquals(salt, users.credential("carol", mechanism).orElseThrow().salt());
    }

    @Test
    void deletingTheLastCredentialRemovesTheUser() {
        ScramUserStore users = ScramUserStore.open(dir);
        users.setPassword("dave", ScramMechanism.SCRAM_SHA_256, "x-Password-1".toCharArray(), 4096);
        users.setPassword("dave", ScramMechanism.SCRAM_SHA_512, "x-Password-1".toCharArray(), 4096);
        assertTrue(users.delete("dave", ScramMechanism.SCRAM_SHA_256));
        assertTrue(users.exists("dave"));
        assertFalse(users.delete("dave", ScramMechanism.SCRAM_SHA_256));
        assertTrue(users.deleteUser("dave"));
        assertFalse(ScramUserStore.open(dir).exists("dave"));
    }

    @Test
    void iterationsOutsideTheMechanismsBoundsAreRefused() {
        ScramUserStore users = ScramUserStore.open(dir);
        assertThrows(IllegalArgumentException.class,
                () -> users.setPassword("eve", ScramMechanism.SCRAM_SHA_256, "p".toCharArray(), 100));
    }

    @Test
    void repeatedChecksAreCachedAndANewPasswordIsSeen() {
        ScramUserStore users = ScramUserStore.open(dir);
        users.setPassword("frank", ScramMechanism.SCRAM_SHA_512, "first-Pass-1".toCharArray(), 4096);
        PasswordChecks checks = new PasswordChecks(users, 1);
        assertTrue(checks.check("frank", "first-Pass-1".toCharArray()));
        assertFalse(checks.check("frank", "wrong".toCharArray()));
        assertFalse(checks.check("nobody", "first-Pass-1".toCharArray()));
        users.setPassword("frank", ScramMechanism.SCRAM_SHA_512, "second-Pass-2".toCharArray(), 4096);
        assertFalse(checks.check("frank", "first-Pass-1".toCharArray()), "the old password stops working at once");
        assertTrue(checks.check("frank", "second-Pass-2".toCharArray()));
    }

    @Test
    void configurationDeclaresUsersSuperUsersAndRoleAcls() {
        Map<String, String> config = Map.of(
                "hearth.security.user.ops.password", "ops-Pass-1",
                "hearth.security.user.ops.roles", "admin",
                "hearth.security.user.feed.password", "feed-Pass-1",
                "hearth.security.user.feed.roles", "producer",
                "hearth.security.user.feed.topics", "orders,pay-*");
        SecuritySettings settings = SecuritySettings.read(key -> Optional.ofNullable(config.get(key)), config.keySet());
        HearthSecurity security = HearthSecurity.start(dir, settings);
        assertTrue(security.users().verifyPassword("feed", ScramMechanism.SCRAM_SHA_256, "feed-Pass-1".toCharArray()));
        assertTrue(security.users().verifyPassword("feed", ScramMechanism.SCRAM_SHA_512, "feed-Pass-1".toCharArray()));
        assertTrue(security.authorize(Principals.user("ops"), "h", AclOperation.ALTER, ResourceType.CLUSTER, "kafka-cluster"));
        assertTrue(security.authorize(Principals.user("feed"), "h", AclOperation.WRITE, ResourceType.TOPIC, "pay-eu"));
        assertFalse(security.authorize(Principals.user("feed"), "h", AclOperation.WRITE, ResourceType.TOPIC, "other"));
        assertTrue(security.authorize(Principals.user("feed"), "h", AclOperation.READ, ResourceType.GROUP, "g"));
        assertFalse(security.users().exists("admin"), "no generated admin when users are configured");
        int acls = security.acls().acls(AclBindingFilter.ANY).size();
        HearthSecurity.start(dir, settings);
        assertEquals(acls, AclAuthorizer.open(dir.resolve("security"), Set.of()).acls(AclBindingFilter.ANY).size(),
                "a restart does not add the role ACLs twice");
    }

    @Test
    void withoutUsersAnAdminIsGeneratedOnceWithItsPasswordInAnOwnerOnlyFile() throws Exception {
        SecuritySettings none = SecuritySettings.read(key -> Optional.empty(), List.of());
        HearthSecurity first = HearthSecurity.start(dir, none);
        Path file = dir.resolve(HearthSecurity.INITIAL_ADMIN_PASSWORD_FILE);
        String password = Files.readString(file).strip();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(first.passwords().check("admin", password.toCharArray()));
        Files.delete(file);
        HearthSecurity second = HearthSecurity.start(dir, none);
        assertFalse(Files.exists(file), "the admin exists: nothing generated again");
        assertTrue(second.passwords().check("admin", password.toCharArray()));
        assertTrue(second.authorize(Principals.user("admin"), "h", AclOperation.ALL, ResourceType.TOPIC, "t"));
        assertNotEquals(Set.of(), second.acls().superUsers());
    }
}
