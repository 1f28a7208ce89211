package dev.hearth.security.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated admin's credential store: the password goes to an owner-only file and never to the log, the
 * hash is kept across starts, and a damaged credentials file is reported and replaced instead of failing.
 */
class GeneratedAdminCredentialsTest {

    private static final Logger LOG = Logger.getLogger(GeneratedAdminCredentials.class.getName());

    @TempDir
    Path root;

    private Path dataDir;
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record.getLevel() + " " + record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLog() {
        dataDir = root.resolve("hearth-data");
        LOG.addHandler(capture);
    }

    @AfterEach
    void releaseLog() {
        LOG.removeHandler(capture);
    }

    @Test
    void theFirstStartWritesThePasswordToAnOwnerOnlyFileAndLogsOnlyWhereItIs() throws IOException {
        PasswordHash hash = store().loadOrGenerate();

        String password = generatedPassword();
        assertTrue(hash.matches(password.toCharArray()), "the stored hash is the written password's");
        assertEquals(1, logged.size(), "one line announces the password: " + logged);
        assertTrue(logged.get(0).startsWith("WARNING HEARTH-0801"), "as HEARTH-0801: " + logged);
        assertTrue(logged.get(0).contains(passwordFile().toAbsolutePath().toString()),
                "the log says where to read the password: " + logged);
        assertFalse(logged.get(0).contains(password), "the log does not contain the password");
        assertFalse(Files.readString(credentialsFile()).contains(password), "the credentials file holds a hash only");
        if (dataDir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rwx------", mode(dataDir), "a data directory created here is owner-only");
            assertEquals("rw-------", mode(passwordFile()), "the password file is readable by its owner only");
            assertEquals("rw-------", mode(credentialsFile()), "and so is the credentials file");
        }
    }

    @Test
    void laterStartsKeepTheHashAndDoNotIssueAnotherPassword() throws IOException {
        store().loadOrGenerate();
        String password = generatedPassword();
        logged.clear();

        PasswordHash again = store().loadOrGenerate();

        assertTrue(again.matches(password.toCharArray()), "the first password still works after a restart");
        assertEquals(password, generatedPassword(), "the password file is not rewritten");
        assertEquals(1, logged.size(), "one line: " + logged);
        assertTrue(logged.get(0).startsWith("INFO HEARTH-0804"), "it says where the hash comes from: " + logged);
        assertTrue(logged.get(0).contains(passwordFile().toAbsolutePath().toString()),
                "and reminds that the password file is still there: " + logged);
    }

    static Stream<Arguments> damagedContent() {
        return Stream.of(
                Arguments.of("empty, as a power cut left it", new byte[0]),
                Arguments.of("blank", "\n\n".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("garbage", "not-a-credential-at-all".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("no hash", "admin:\n".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("bad iterations", "admin:pbkdf2-sha256:many:c2FsdA==:aGFzaA==\n".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("not UTF-8", new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1}),
                Arguments.of("two lines", ("admin:pbkdf2-sha256:1:c2FsdA==:" + "A".repeat(43) + "=\nadmin:x\n")
                        .getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damagedContent")
    void aDamagedCredentialsFileIsReportedAndReplacedNotFatal(String what, byte[] content) throws IOException {
        Files.createDirectories(dataDir);
        Files.write(credentialsFile(), content);

        PasswordHash hash = store().loadOrGenerate();

        assertDamageReportedAndReplaced(hash, new String(content, StandardCharsets.ISO_8859_1).trim());
    }

    @Test
    void aTruncatedHashIsDamageNotALockedOutAdmin() throws IOException {
        store().loadOrGenerate();
        String old = generatedPassword();
        String line = Files.readString(credentialsFile()).trim();
        String cut = line.substring(0, line.length() - 8);
        Files.writeString(credentialsFile(), cut);
        logged.clear();

        PasswordHash hash = store().loadOrGenerate();

        assertDamageReportedAndReplaced(hash, cut.substring(cut.lastIndexOf(':') + 1));
        assertNotEquals(old, generatedPassword(), "a new password is issued");
        assertFalse(hash.matches(old.toCharArray()), "the old password no longer works");
    }

    private void assertDamageReportedAndReplaced(PasswordHash hash, String damagedText) throws IOException {
        assertTrue(logged.stream().anyMatch(line -> line.startsWith("WARNING HEARTH-0805")
                        && line.contains(credentialsFile().toAbsolutePath().toString())),
                "the damage is reported with the file's name: " + logged);
        if (!damagedText.isEmpty()) {
            assertTrue(logged.stream().noneMatch(line -> line.contains(damagedText)),
                    "the report does not quote the file's content: " + logged);
        }
        assertTrue(logged.stream().anyMatch(line -> line.startsWith("WARNING HEARTH-0801")),
                "a new password is issued the documented way: " + logged);
        assertTrue(hash.matches(generatedPassword().toCharArray()), "the new password file matches the new hash");
        assertEquals(hash.encoded(), PasswordHash.parse(Files.readString(credentialsFile()).trim()
                .substring("admin:".length())).encoded(), "the replaced credentials file holds the new hash");
        logged.clear();
        store().loadOrGenerate();
        assertTrue(logged.stream().noneMatch(line -> line.contains("HEARTH-0805")),
                "the replacement is valid: the next start reports nothing: " + logged);
    }

    private GeneratedAdminCredentials store() {
        return new GeneratedAdminCredentials(dataDir, new SecureRandom());
    }

    private String generatedPassword() throws IOException {
        String content = Files.readString(passwordFile());
        assertTrue(content.endsWith("\n") && content.trim().length() >= 20,
                "the password file holds one line with a long random password");
        return content.trim();
    }

    private Path credentialsFile() {
        return dataDir.resolve(GeneratedAdminCredentials.CREDENTIALS_FILE);
    }

    private Path passwordFile() {
        return dataDir.resolve(GeneratedAdminCredentials.PASSWORD_FILE);
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
