package dev.hearth.connect.boundary;

import java.util.Map;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import org.apache.kafka.connect.errors.AlreadyExistsException;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.NotFoundException;
import org.apache.kafka.connect.runtime.distributed.NotLeaderException;
import org.apache.kafka.connect.runtime.distributed.RebalanceNeededException;
import org.apache.kafka.connect.runtime.rest.errors.BadRequestException;
import org.apache.kafka.connect.runtime.rest.errors.ConnectRestException;

import dev.hearth.platform.rest.Problem;

/**
 * A failure of the Connect worker as Connect's REST server answers it (its {@code ConnectExceptionMapper}: the
 * status of a {@link ConnectRestException}, 404 for {@link NotFoundException}, 409 for
 * {@link AlreadyExistsException} and for a rebalance or a leader elsewhere, else 500), in Hearth's shape: an RFC 9457
 * problem (the message of an unexpected failure only in the log) that also carries Connect's {@code error_code} (the HTTP status) and {@code message} members, so that
 * Connect tooling reads it as it reads Connect's {@code ErrorMessage}. Stateless; thread-safe.
 */
@Provider
public class ConnectErrorMapper implements ExceptionMapper<ConnectException> {

    @Override
    public Response toResponse(ConnectException e) {
        Kind kind = Kind.of(e);
        int status = e instanceof ConnectRestException rest ? rest.statusCode() : kind.status;
        int errorCode = e instanceof ConnectRestException rest ? rest.errorCode() : status;
        // Connect writes its REST exceptions' messages for clients; any other failure's message may name classes
        // and files, which stay in the log (with the problem's instance id).
        String message = e.getMessage() == null || kind == Kind.FAILURE ? kind.title + ": see the server log"
                : e.getMessage();
        if (e instanceof NotLeaderException) {
            message = "This worker is not the leader of its Connect group, and Hearth does not forward requests to "
                    + "another worker: " + message;
        }
        return Problem.response(status, kind.type, kind.title, message,
                Map.of("error_code", errorCode, "message", message), status >= 500 ? e : null);
    }

    /** The problem type of each kind of Connect failure. */
    private enum Kind {
        NOT_FOUND(404, "connect-not-found", "Unknown connector or task"),
        ALREADY_EXISTS(409, "connect-already-exists", "Connector already exists"),
        CONFLICT(409, "connect-conflict", "Conflicting Connect operation"),
        BAD_REQUEST(400, "connect-bad-request", "Invalid Connect request"),
        REST(500, "connect-request-failed", "Connect request failed"),
        FAILURE(500, "connect-failure", "Connect worker failure");

        final int status;
        final String type;
        final String title;

        Kind(int status, String type, String title) {
            this.status = status;
            this.type = type;
            this.title = title;
        }

        static Kind of(ConnectException e) {
            if (e instanceof NotFoundException) {
                return NOT_FOUND;
            }
            if (e instanceof AlreadyExistsException) {
                return ALREADY_EXISTS;
            }
            if (e instanceof RebalanceNeededException || e instanceof NotLeaderException) {
                return CONFLICT;
            }
            if (e instanceof BadRequestException) {
                return BAD_REQUEST;
            }
            return e instanceof ConnectRestException ? REST : FAILURE;
        }
    }
}
