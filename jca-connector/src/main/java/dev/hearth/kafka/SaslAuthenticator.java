package dev.hearth.kafka;

import java.io.IOException;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;

import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;

import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.apache.kafka.common.requests.SaslHandshakeResponse;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.plain.PlainAuthenticateCallback;
import org.apache.kafka.common.security.plain.internals.PlainSaslServer;
import org.apache.kafka.common.security.scram.ScramCredentialCallback;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.security.token.delegation.internals.DelegationTokenCredentialCallback;

import dev.hearth.security.HearthSecurity;
import dev.hearth.security.LoginBusyException;
import dev.hearth.security.Principals;

/**
 * The SASL exchange of one connection, as Kafka's broker runs it (KIP-43, KIP-152): a {@code SaslHandshake}
 * names the mechanism, then tokens go back and forth, inside {@code SaslAuthenticate} requests after a v1
 * handshake, or as bare length-prefixed frames after a v0 handshake (clients before Kafka 1.0), until the
 * mechanism completes or fails. The mechanisms are kafka-clients' own server side: {@link PlainSaslServer} with
 * passwords checked by {@link dev.hearth.security.PasswordChecks} (PBKDF2, bounded), and
 * {@code ScramSaslServer} with credentials from {@link dev.hearth.security.ScramUserStore}; no cryptography here.
 *
 * <p>States: {@code HANDSHAKE} → {@code AUTHENTICATE} (v1) or {@code RAW_TOKENS} (v0) → {@code COMPLETE} or
 * {@code FAILED}. A failure of any kind (wrong password, unknown user, malformed token, a request out of order)
 * ends in {@code FAILED}, and the connection is closed. Every failed login gets the same message, whether the
 * user exists or not; a login refused because no password-check slot was free says to retry later. Sessions do
 * not expire ({@code sessionLifetimeMs} 0, so clients never re-authenticate).
 *
 * <p>Thread contract: {@link #handshake} and {@link #authenticate} run on request-handler threads (PBKDF2 must
 * not run on an event loop); the connection is muted while one runs, so calls never overlap, and each
 * hand-off between a handler thread and the event loop goes through an executor queue, which orders them. The
 * state is volatile for the event loop's reads of {@link #state()} and {@link #principal()}.
 */
final class SaslAuthenticator {

    enum State { HANDSHAKE, AUTHENTICATE, RAW_TOKENS, COMPLETE, FAILED }

    /**
     * The answer to one token: the next challenge, or the failure to report (then the connection closes) with its
     * Kafka error: SASL_AUTHENTICATION_FAILED, or ILLEGAL_SASL_STATE for a token without a handshake.
     */
    record Step(byte[] challenge, String failure, Errors error) {
        boolean failed() {
            return failure != null;
        }
    }

    private final HearthSecurity security;
    private final List<String> mechanisms;
    private volatile State state = State.HANDSHAKE;
    private volatile KafkaPrincipal principal;
    private SaslServer server;
    private String mechanism;

    SaslAuthenticator(HearthSecurity security, List<String> mechanisms) {
        this.security = security;
        this.mechanisms = mechanisms;
    }

    State state() {
        return state;
    }

    /** The authenticated principal, {@code User:<name>}; null until {@link State#COMPLETE}. */
    KafkaPrincipal principal() {
        return principal;
    }

    /** The mechanism the client chose, or null before the handshake. */
    String mechanism() {
        return mechanism;
    }

    /**
     * Answers a SaslHandshake. An unknown or disabled mechanism, or a handshake out of order, fails the exchange
     * (the answer says which mechanisms are enabled; the connection closes after it).
     */
    SaslHandshakeResponse handshake(SaslHandshakeRequest request, short version) {
        SaslHandshakeResponseData data = new SaslHandshakeResponseData().setMechanisms(mechanisms);
        if (state != State.HANDSHAKE) {
            state = State.FAILED;
            return new SaslHandshakeResponse(data.setErrorCode(Errors.ILLEGAL_SASL_STATE.code()));
        }
        String requested = request.data().mechanism();
        if (!mechanisms.contains(requested)) {
            state = State.FAILED;
            return new SaslHandshakeResponse(data.setErrorCode(Errors.UNSUPPORTED_SASL_MECHANISM.code()));
        }
        try {
            server = requested.equals("PLAIN")
                    ? new PlainSaslServer(this::plainCallbacks)
                    : new org.apache.kafka.common.security.scram.internals.ScramSaslServer(
                            ScramMechanism.forMechanismName(requested), Map.of(), this::scramCallbacks);
        } catch (NoSuchAlgorithmException e) {
            state = State.FAILED;
            throw new IllegalStateException("HEARTH-0427 " + requested + " is not available in this JVM", e);
        }
        mechanism = requested;
        state = version == 0 ? State.RAW_TOKENS : State.AUTHENTICATE;
        return new SaslHandshakeResponse(data.setErrorCode(Errors.NONE.code()));
    }

    /** Evaluates one client token: the next challenge, or the failure. Only in AUTHENTICATE or RAW_TOKENS. */
    Step authenticate(byte[] token) {
        if ((state != State.AUTHENTICATE && state != State.RAW_TOKENS) || server == null) {
            state = State.FAILED;
            return new Step(null, "Unexpected SaslAuthenticate: no SASL exchange in progress (SaslHandshake first)",
                    Errors.ILLEGAL_SASL_STATE);
        }
        try {
            byte[] challenge = server.evaluateResponse(token == null ? new byte[0] : token);
            if (server.isComplete()) {
                principal = Principals.user(server.getAuthorizationID());
                server.dispose();
                server = null;
                state = State.COMPLETE;
            }
            return new Step(challenge == null ? new byte[0] : challenge, null, Errors.NONE);
        } catch (SaslException | RuntimeException e) {
            state = State.FAILED;
            server = null;
            if (busy(e)) {
                return new Step(null, "Authentication failed: too many logins are being checked at once; "
                        + "retry later", Errors.SASL_AUTHENTICATION_FAILED);
            }
            return new Step(null, "Authentication failed during authentication due to invalid credentials with "
                    + "SASL mechanism " + mechanism, Errors.SASL_AUTHENTICATION_FAILED);
        }
    }

    private static boolean busy(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof LoginBusyException) {
                return true;
            }
        }
        return false;
    }

    /** PLAIN: the password checked against the user's SCRAM credential; may throw LoginBusyException. */
    private void plainCallbacks(Callback[] callbacks) throws UnsupportedCallbackException {
        String user = null;
        for (Callback callback : callbacks) {
            if (callback instanceof NameCallback name) {
                user = name.getDefaultName();
            } else if (callback instanceof PlainAuthenticateCallback plain) {
                plain.authenticated(user != null && security.passwords().check(user, plain.password()));
            } else {
                throw new UnsupportedCallbackException(callback);
            }
        }
    }

    /** SCRAM: the stored credential as it is; delegation tokens are not supported. */
    private void scramCallbacks(Callback[] callbacks) throws IOException, UnsupportedCallbackException {
        String user = null;
        for (Callback callback : callbacks) {
            if (callback instanceof NameCallback name) {
                user = name.getDefaultName();
            } else if (callback instanceof DelegationTokenCredentialCallback) {
                throw new UnsupportedCallbackException(callback, "Hearth has no delegation tokens");
            } else if (callback instanceof ScramCredentialCallback scram && user != null) {
                scram.scramCredential(security.users()
                        .credential(user, ScramMechanism.forMechanismName(mechanism)).orElse(null));
            } else {
                throw new UnsupportedCallbackException(callback);
            }
        }
    }
}
