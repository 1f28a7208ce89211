package dev.hearth.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Short-lived test certificates made with the JDK's {@code keytool} (nothing checked in that expires): a server
 * key pair for {@code localhost}/127.0.0.1 and a client key pair, each in a PKCS12 key store, their certificates as
 * PEM, each side's trust store holding the other's certificate (the server's also its own), and the server's key as
 * a PKCS#8 PEM file. Shared by the engine's tests and, through this module's test-jar, the end-to-end tests.
 */
public final class TestCertificates {

    public static final String PASSWORD = "test-secret";
    public static final String CLIENT_DN = "CN=alice,OU=streams,O=Hearth Test";

    public final Path serverKeystore;
    public final Path serverCertificatePem;
    public final Path serverKeyPem;
    /** The server's certificate in a PKCS12 trust store, for clients. */
    public final Path clientTruststore;
    public final Path clientKeystore;
    /** The client's certificate in a PKCS12 trust store, for the server (mTLS). */
    public final Path serverTruststore;

    private TestCertificates(Path dir) {
        serverKeystore = dir.resolve("server.p12");
        serverCertificatePem = dir.resolve("server-cert.pem");
        serverKeyPem = dir.resolve("server-key.pem");
        clientTruststore = dir.resolve("client-trust.p12");
        clientKeystore = dir.resolve("client.p12");
        serverTruststore = dir.resolve("server-trust.p12");
    }

    public static TestCertificates create(Path dir) throws IOException, InterruptedException, GeneralSecurityException {
        TestCertificates certificates = new TestCertificates(dir);
        Path clientCertificatePem = dir.resolve("client-cert.pem");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost,O=Hearth Test", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-keystore", certificates.serverKeystore.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", certificates.serverKeystore.toString(),
                "-storepass", PASSWORD, "-file", certificates.serverCertificatePem.toString());
        keytool("-importcert", "-noprompt", "-alias", "server", "-file", certificates.serverCertificatePem.toString(),
                "-keystore", certificates.clientTruststore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        keytool("-genkeypair", "-alias", "client", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", CLIENT_DN, "-validity", "2",
                "-keystore", certificates.clientKeystore.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "client", "-keystore", certificates.clientKeystore.toString(),
                "-storepass", PASSWORD, "-file", clientCertificatePem.toString());
        keytool("-importcert", "-noprompt", "-alias", "client", "-file", clientCertificatePem.toString(),
                "-keystore", certificates.serverTruststore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        // The listener trusts its own certificate too: Hearth's own clients present it on mTLS listeners.
        keytool("-importcert", "-noprompt", "-alias", "server", "-file", certificates.serverCertificatePem.toString(),
                "-keystore", certificates.serverTruststore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        KeyStore server = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(certificates.serverKeystore)) {
            server.load(in, PASSWORD.toCharArray());
        }
        PrivateKey key = (PrivateKey) server.getKey("server", PASSWORD.toCharArray());
        Files.writeString(certificates.serverKeyPem, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n", StandardCharsets.US_ASCII);
        return certificates;
    }

    private static void keytool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", arguments) + " failed: " + output);
        }
    }
}
