package dev.hearth.kafka;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import dev.hearth.engine.InvalidConfigException;

/**
 * The listener's TLS, loaded once at start from {@link ListenerSecurity.Tls}: Netty's server {@link SslContext}
 * (the JDK provider) and the listener's own certificate chain, which Hearth's internal clients trust when no
 * trust store is configured. Every file problem fails the start with HEARTH-0422 naming the setting.
 *
 * <p>Thread-safety: immutable after {@link #load}; the SslContext creates one engine per connection.
 */
final class ListenerTls {

    private final SslContext context;
    /** The listener's certificate chain, leaf first. */
    private final List<X509Certificate> chain;

    private ListenerTls(SslContext context, List<X509Certificate> chain) {
        this.context = context;
        this.chain = chain;
    }

    static ListenerTls load(ListenerSecurity.Tls tls) {
        try {
            SslContextBuilder builder;
            List<X509Certificate> chain;
            if (tls.keystoreType().equals("PEM")) {
                File certificates = new File(tls.certificateChainLocation() != null
                        ? tls.certificateChainLocation() : tls.keystoreLocation());
                File key = new File(tls.keyLocation() != null ? tls.keyLocation() : tls.keystoreLocation());
                String keyPassword = tls.keyPassword() == null ? null : new String(tls.keyPassword());
                // Netty's PEM reader takes the certificate and key blocks from their file, so one file may hold both.
                builder = SslContextBuilder.forServer(certificates, key, keyPassword);
                chain = readPemCertificates(certificates.toPath(), "hearth.kafka.ssl.keystore.certificate.chain.location");
            } else {
                KeyStore store = keyStore(tls.keystoreType(), tls.keystoreLocation(), tls.keystorePassword(),
                        "hearth.kafka.ssl.keystore.location");
                KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                char[] keyPassword = tls.keyPassword() != null ? tls.keyPassword() : tls.keystorePassword();
                keys.init(store, keyPassword);
                builder = SslContextBuilder.forServer(keys);
                chain = firstKeyChain(store);
            }
            if (tls.truststoreLocation() != null) {
                if (tls.truststoreType().equals("PEM")) {
                    builder.trustManager(new File(tls.truststoreLocation()));
                } else {
                    TrustManagerFactory trust = TrustManagerFactory.getInstance(
                            TrustManagerFactory.getDefaultAlgorithm());
                    trust.init(keyStore(tls.truststoreType(), tls.truststoreLocation(), tls.truststorePassword(),
                            "hearth.kafka.ssl.truststore.location"));
                    builder.trustManager(trust);
                }
            }
            builder.sslProvider(SslProvider.JDK)
                    .clientAuth(switch (tls.clientAuth()) {
                        case NONE -> ClientAuth.NONE;
                        case REQUESTED -> ClientAuth.OPTIONAL;
                        case REQUIRED -> ClientAuth.REQUIRE;
                    })
                    .protocols(tls.enabledProtocols());
            if (!tls.cipherSuites().isEmpty()) {
                builder.ciphers(tls.cipherSuites());
            }
            return new ListenerTls(builder.build(), chain);
        } catch (SSLException | GeneralSecurityException | IllegalArgumentException e) {
            throw new InvalidConfigException("HEARTH-0422 Cannot set up TLS for the Kafka listener from " + tls + ": "
                    + e.getMessage());
        }
    }

    private static KeyStore keyStore(String type, String location, char[] password, String setting)
            throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            store.load(in, password);
        } catch (IOException e) {
            throw new InvalidConfigException("HEARTH-0422 Cannot read " + setting + "=" + location + " as " + type
                    + ": " + e.getMessage());
        }
        return store;
    }

    private static List<X509Certificate> firstKeyChain(KeyStore store) throws GeneralSecurityException {
        Enumeration<String> aliases = store.aliases();
        while (aliases.hasMoreElements()) {
            String alias = aliases.nextElement();
            if (store.isKeyEntry(alias)) {
                List<X509Certificate> chain = new ArrayList<>();
                for (Certificate certificate : store.getCertificateChain(alias)) {
                    chain.add((X509Certificate) certificate);
                }
                return List.copyOf(chain);
            }
        }
        throw new InvalidConfigException("HEARTH-0422 hearth.kafka.ssl.keystore.location holds no private key");
    }

    private static List<X509Certificate> readPemCertificates(Path file, String setting) {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(in);
            List<X509Certificate> chain = new ArrayList<>();
            certificates.forEach(certificate -> chain.add((X509Certificate) certificate));
            return List.copyOf(chain);
        } catch (IOException | GeneralSecurityException e) {
            throw new InvalidConfigException("HEARTH-0422 Cannot read the certificates of " + setting + "=" + file
                    + ": " + e.getMessage());
        }
    }

    /** The listener certificate's subject, RFC 2253, as a TLS peer sees it. */
    String subject() {
        return chain.get(0).getSubjectX500Principal().getName();
    }

    SslContext context() {
        return context;
    }

    /**
     * kafka-clients {@code ssl.keystore.*} properties presenting the listener's own key and certificate, for
     * Hearth's internal clients on listeners that ask for client certificates.
     */
    Map<String, String> clientKeyProperties(ListenerSecurity.Tls tls) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("ssl.keystore.type", tls.keystoreType());
        if (tls.keystoreType().equals("PEM") && tls.keystoreLocation() == null) {
            try {
                properties.put("ssl.keystore.certificate.chain",
                        Files.readString(Path.of(tls.certificateChainLocation())));
                properties.put("ssl.keystore.key", Files.readString(Path.of(tls.keyLocation())));
            } catch (IOException e) {
                throw new InvalidConfigException("HEARTH-0422 Cannot read the listener's PEM key and certificates: "
                        + e.getMessage());
            }
        } else {
            properties.put("ssl.keystore.location", tls.keystoreLocation());
            if (tls.keystorePassword() != null) {
                properties.put("ssl.keystore.password", new String(tls.keystorePassword()));
            }
        }
        char[] keyPassword = tls.keyPassword() != null ? tls.keyPassword()
                : tls.keystoreType().equals("PEM") ? null : tls.keystorePassword();
        if (keyPassword != null) {
            properties.put("ssl.key.password", new String(keyPassword));
        }
        return properties;
    }

    /** The listener's certificate chain as PEM text (Kafka's {@code ssl.truststore.certificates} format). */
    String certificateChainPem() {
        StringBuilder pem = new StringBuilder();
        Base64.Encoder base64 = Base64.getMimeEncoder(64, new byte[] {'\n'});
        for (X509Certificate certificate : chain) {
            try {
                pem.append("-----BEGIN CERTIFICATE-----\n")
                        .append(base64.encodeToString(certificate.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            } catch (java.security.cert.CertificateEncodingException e) {
                throw new IllegalStateException("A loaded certificate can be encoded", e);
            }
        }
        return pem.toString();
    }
}
