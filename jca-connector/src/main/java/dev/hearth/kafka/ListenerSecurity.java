package dev.hearth.kafka;

import java.util.List;
import java.util.Locale;

import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * How the Kafka listener authenticates its clients, with Kafka's names for Kafka's ideas. Settings (MicroProfile
 * Config, system properties, or environment variables such as {@code HEARTH_KAFKA_SECURITY_PROTOCOL}):
 * <pre>
 *   hearth.kafka.security.protocol             PLAINTEXT (default), SSL, SASL_PLAINTEXT or SASL_SSL
 *   hearth.kafka.sasl.enabled.mechanisms       comma list of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 (default all three)
 *   hearth.kafka.connection.failed.authentication.delay.ms
 *                                              how long a failed login waits before its answer and the close (100)
 *   hearth.kafka.allow.unauthenticated         true lets a listener without authentication (PLAINTEXT, or SSL
 *                                              without required client certificates) bind a non-loopback
 *                                              address (default false: refused at start, HEARTH-0420)
 *   hearth.kafka.ssl.*                         the TLS settings of SSL and SASL_SSL, see {@link Tls}
 * </pre>
 *
 * @param protocol                       the listener's security protocol
 * @param tls                            TLS settings; required for SSL and SASL_SSL, ignored otherwise (may be null)
 * @param saslMechanisms                 SASL mechanisms offered, Kafka's names, in preference order
 * @param failedAuthenticationDelayMs    Kafka's {@code connection.failed.authentication.delay.ms}
 * @param allowUnauthenticated           whether an unauthenticated listener may bind a non-loopback address
 */
public record ListenerSecurity(SecurityProtocol protocol, Tls tls, List<String> saslMechanisms,
                               long failedAuthenticationDelayMs, boolean allowUnauthenticated) {

    /** Every mechanism Hearth implements, Kafka's names. */
    public static final List<String> MECHANISMS = List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");
    public static final long DEFAULT_FAILED_AUTHENTICATION_DELAY_MS = 100;
    /** PLAINTEXT, for loopback addresses: what the listener always was. */
    public static final ListenerSecurity PLAINTEXT = new ListenerSecurity(SecurityProtocol.PLAINTEXT, null,
            MECHANISMS, DEFAULT_FAILED_AUTHENTICATION_DELAY_MS, false);

    public ListenerSecurity {
        if (protocol != SecurityProtocol.PLAINTEXT && protocol != SecurityProtocol.SSL
                && protocol != SecurityProtocol.SASL_PLAINTEXT && protocol != SecurityProtocol.SASL_SSL) {
            throw new IllegalArgumentException("hearth.kafka.security.protocol must be PLAINTEXT, SSL, SASL_PLAINTEXT "
                    + "or SASL_SSL, not " + protocol);
        }
        if (usesTls(protocol) && tls == null) {
            throw new IllegalArgumentException("HEARTH-0421 hearth.kafka.security.protocol=" + protocol
                    + " needs hearth.kafka.ssl.keystore.location (or the PEM certificate chain and key)");
        }
        saslMechanisms = List.copyOf(saslMechanisms);
        for (String mechanism : saslMechanisms) {
            if (!MECHANISMS.contains(mechanism)) {
                throw new IllegalArgumentException("hearth.kafka.sasl.enabled.mechanisms: unknown mechanism '"
                        + mechanism + "' (" + String.join(", ", MECHANISMS) + ")");
            }
        }
        if (usesSasl(protocol) && saslMechanisms.isEmpty()) {
            throw new IllegalArgumentException("hearth.kafka.sasl.enabled.mechanisms is empty for " + protocol);
        }
        if (failedAuthenticationDelayMs < 0) {
            throw new IllegalArgumentException("connection.failed.authentication.delay.ms must not be negative");
        }
    }

    public boolean usesTls() {
        return usesTls(protocol);
    }

    public boolean usesSasl() {
        return usesSasl(protocol);
    }

    /**
     * Whether every client proves who it is: SASL, or TLS with required client certificates. A listener that does
     * not may only bind a loopback address unless {@link #allowUnauthenticated}.
     */
    public boolean authenticatesClients() {
        return usesSasl() || (protocol == SecurityProtocol.SSL && tls.clientAuth() == ClientAuth.REQUIRED);
    }

    private static boolean usesTls(SecurityProtocol protocol) {
        return protocol == SecurityProtocol.SSL || protocol == SecurityProtocol.SASL_SSL;
    }

    private static boolean usesSasl(SecurityProtocol protocol) {
        return protocol == SecurityProtocol.SASL_PLAINTEXT || protocol == SecurityProtocol.SASL_SSL;
    }

    /** Kafka's {@code ssl.client.auth}: whether TLS clients must, may or need not present a certificate. */
    public enum ClientAuth {
        NONE, REQUESTED, REQUIRED;

        /** {@code none}, {@code requested} or {@code required}, any case. */
        public static ClientAuth parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("hearth.kafka.ssl.client.auth must be none, requested or required, "
                        + "not '" + text + "'", e);
            }
        }
    }

    /**
     * TLS of the listener, Kafka's {@code ssl.*} names under {@code hearth.kafka.}:
     * <pre>
     *   hearth.kafka.ssl.keystore.type              PKCS12 (default), JKS or PEM
     *   hearth.kafka.ssl.keystore.location          PKCS12/JKS: the key store file. PEM: one file holding the private
     *                                               key (PKCS#8) and the certificate chain, as Kafka's PEM key store
     *   hearth.kafka.ssl.keystore.certificate.chain.location
     *                                               PEM only: the certificate chain file (leaf first), with
     *   hearth.kafka.ssl.keystore.key.location      PEM only: the PKCS#8 private key file (instead of keystore.location)
     *   hearth.kafka.ssl.keystore.password          the key store's password (PKCS12/JKS)
     *   hearth.kafka.ssl.key.password               the private key's password (default: the key store's; PEM: only
     *                                               for an encrypted key)
     *   hearth.kafka.ssl.truststore.type            PKCS12 (default), JKS or PEM (a file of certificates)
     *   hearth.kafka.ssl.truststore.location        CAs that client certificates must chain to (mTLS); default: the
     *                                               JDK's
     *   hearth.kafka.ssl.truststore.password        the trust store's password
     *   hearth.kafka.ssl.client.auth                none (default), requested or required; an authenticated client
     *                                               certificate makes the principal {@code User:<subject DN>} (RFC 2253,
     *                                               Kafka's ssl.principal.mapping.rules=DEFAULT) on an SSL listener
     *   hearth.kafka.ssl.enabled.protocols          comma list (default TLSv1.3,TLSv1.2)
     *   hearth.kafka.ssl.cipher.suites              comma list (default: the JDK's)
     * </pre>
     * Passwords are char arrays held for the listener's life; files are read once, at start.
     */
    public record Tls(String keystoreType, String keystoreLocation, String certificateChainLocation,
                      String keyLocation, char[] keystorePassword, char[] keyPassword, String truststoreType,
                      String truststoreLocation, char[] truststorePassword, ClientAuth clientAuth,
                      List<String> enabledProtocols, List<String> cipherSuites) {

        public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

        public Tls {
            keystoreType = keystoreType == null ? "PKCS12" : keystoreType.trim().toUpperCase(Locale.ROOT);
            truststoreType = truststoreType == null ? "PKCS12" : truststoreType.trim().toUpperCase(Locale.ROOT);
            clientAuth = clientAuth == null ? ClientAuth.NONE : clientAuth;
            enabledProtocols = enabledProtocols == null || enabledProtocols.isEmpty()
                    ? DEFAULT_PROTOCOLS : List.copyOf(enabledProtocols);
            cipherSuites = cipherSuites == null ? List.of() : List.copyOf(cipherSuites);
            boolean pem = keystoreType.equals("PEM");
            if (pem ? keystoreLocation == null && (certificateChainLocation == null || keyLocation == null)
                    : keystoreLocation == null) {
                throw new IllegalArgumentException("HEARTH-0421 TLS needs hearth.kafka.ssl.keystore.location"
                        + (pem ? " (or hearth.kafka.ssl.keystore.certificate.chain.location and "
                        + "hearth.kafka.ssl.keystore.key.location)" : ""));
            }
        }

        /** A PKCS12 key store with this password for store and key, no trust store, no client certificates. */
        public static Tls pkcs12(String keystoreLocation, char[] password) {
            return new Tls("PKCS12", keystoreLocation, null, null, password, null, null, null, null,
                    ClientAuth.NONE, null, null);
        }

        public Tls withTruststore(String type, String location, char[] password) {
            return new Tls(keystoreType, keystoreLocation, certificateChainLocation, keyLocation, keystorePassword,
                    keyPassword, type, location, password, clientAuth, enabledProtocols, cipherSuites);
        }

        public Tls withClientAuth(ClientAuth newClientAuth) {
            return new Tls(keystoreType, keystoreLocation, certificateChainLocation, keyLocation, keystorePassword,
                    keyPassword, truststoreType, truststoreLocation, truststorePassword, newClientAuth,
                    enabledProtocols, cipherSuites);
        }

        @Override
        public String toString() {
            return "Tls[keystoreType=" + keystoreType + ", keystoreLocation=" + keystoreLocation
                    + ", truststoreLocation=" + truststoreLocation + ", clientAuth=" + clientAuth
                    + ", enabledProtocols=" + enabledProtocols + "]";
        }
    }

    @Override
    public String toString() {
        return protocol + (usesSasl() ? " " + saslMechanisms : "") + (tls == null ? "" : " " + tls);
    }
}
