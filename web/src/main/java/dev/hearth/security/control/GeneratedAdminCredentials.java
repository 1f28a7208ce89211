package dev.hearth.security.control;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.logging.Logger;

import dev.hearth.engine.internal.AtomicFiles;
import dev.hearth.engine.internal.OwnerOnlyFiles;

/**
 * The credential store of the {@code admin} user Hearth generates when no user is configured: two files in
 * the data directory, both owner-only (0600) and each replaced only through {@link AtomicFiles}:
 *
 * <pre>
 * admin-credentials        admin:pbkdf2-sha256:&lt;iterations&gt;:&lt;salt, base64&gt;:&lt;hash, base64&gt;\n
 *                          the only file Hearth reads back (see {@link PasswordHash})
 * initial-admin-password   &lt;password&gt;\n
 *                          for the operator to read once and delete; Hearth never reads it
 * </pre>
 *
 * A start with a valid {@code admin-credentials} uses its hash. A start without one generates a random password,
 * writes {@code initial-admin-password} and then {@code admin-credentials} (in that order: a crash between the
 * two leaves no hash, so the next start generates again rather than keeping a hash whose password is lost), and
 * logs where the password is (HEARTH-0801). The password itself never reaches a log.
 *
 * <p>Crash behaviour: a damaged {@code admin-credentials} (empty, as a power cut left it under an older Hearth that
 * wrote it without fsync; not an {@code admin:} line; an unreadable hash) is not fatal: it is reported
 * (HEARTH-0805, naming the file and what is wrong, not its content) and replaced by a newly generated password,
 * so the web application deploys and the operator finds the new password the documented way. A file that cannot
 * be read or written at all (permissions, a full disk) fails the deployment, since no password could be issued.
 *
 * <p>Thread-safety: not thread-safe; {@link UserDirectory} uses it once, while it is being constructed.
 */
final class GeneratedAdminCredentials {

    static final String CREDENTIALS_FILE = "admin-credentials";
    static final String PASSWORD_FILE = "initial-admin-password";
    private static final String LINE_PREFIX = UserDirectory.ADMIN + ":";
    private static final Logger LOG = Logger.getLogger(GeneratedAdminCredentials.class.getName());

    private final Path credentialsFile;
    private final Path passwordFile;
    private final SecureRandom random;

    GeneratedAdminCredentials(Path dataDir, SecureRandom random) {
        Path absolute = dataDir.toAbsolutePath();
        this.credentialsFile = absolute.resolve(CREDENTIALS_FILE);
        this.passwordFile = absolute.resolve(PASSWORD_FILE);
        this.random = random;
    }

    /** The stored admin hash, or that of a newly generated password when there is none or it is damaged. */
    PasswordHash loadOrGenerate() {
        try {
            Optional<PasswordHash> stored = read();
            if (stored.isPresent()) {
                LOG.info("HEARTH-0804 user admin: password hash from " + credentialsFile
                        + " (delete the file to generate a new password at the next start)"
                        + (Files.exists(passwordFile) ? "; the generated password is still in " + passwordFile
                        + ": delete that file once the password is kept elsewhere" : ""));
                return stored.get();
            }
            return generate();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the admin credentials in " + credentialsFile, e);
        }
    }

    /** Empty when there is no file, or (reported) when the file is damaged. */
    private Optional<PasswordHash> read() throws IOException {
        if (!Files.exists(credentialsFile)) {
            return Optional.empty();
        }
        String line;
        try {
            line = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(credentialsFile))).toString().trim();
        } catch (CharacterCodingException e) {
            return damaged("it is not UTF-8 text");
        }
        if (line.isEmpty()) {
            return damaged("it is empty");
        }
        if (!line.startsWith(LINE_PREFIX) || line.contains("\n")) {
            return damaged("it is not one admin:<hash> line");
        }
        try {
            return Optional.of(PasswordHash.parse(line.substring(LINE_PREFIX.length())));
        } catch (IllegalArgumentException e) {
            // e's message may quote the file's content: only the kind of damage is logged.
            return damaged("its hash is not a complete pbkdf2-sha256 hash");
        }
    }

    private Optional<PasswordHash> damaged(String what) {
        LOG.warning("HEARTH-0805 The admin credentials file " + credentialsFile + " is damaged (" + what
                + "): generating a new admin password; the previous one no longer works");
        return Optional.empty();
    }

    private PasswordHash generate() throws IOException {
        byte[] secret = new byte[18];
        random.nextBytes(secret);
        byte[] passwordLine = (Base64.getUrlEncoder().withoutPadding().encodeToString(secret) + "\n")
                .getBytes(StandardCharsets.US_ASCII);
        char[] password = new char[passwordLine.length - 1];
        for (int i = 0; i < password.length; i++) {
            password[i] = (char) passwordLine[i];
        }
        try {
            PasswordHash hash = PasswordHash.of(password, random);
            OwnerOnlyFiles.createDirectories(credentialsFile.getParent());
            AtomicFiles.write(passwordFile, passwordLine);
            AtomicFiles.write(credentialsFile, (LINE_PREFIX + hash.encoded() + "\n").getBytes(StandardCharsets.UTF_8));
            LOG.warning("HEARTH-0801 Hearth generated a password for the HTTP API's user admin. Read it from "
                    + passwordFile + " (readable by this server's user only), keep it safe, then delete that file. "
                    + "Only its hash is kept, in " + credentialsFile + ". Configure hearth.security.admin.password "
                    + "or hearth.security.user.<name>.* to choose users instead.");
            return hash;
        } finally {
            Arrays.fill(secret, (byte) 0);
            Arrays.fill(passwordLine, (byte) 0);
            Arrays.fill(password, '\0');
        }
    }
}
