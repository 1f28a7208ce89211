package dev.hearth.platform.rest;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import dev.hearth.connector.api.HearthConnectionException;
import dev.hearth.connector.api.HearthError;

/**
 * Maps the connector's domain errors to problem responses with a status and type per {@link HearthError}. A
 * client error's message is its detail; a server error's message (a storage failure names files and
 * directories) goes only to the log, under the problem's instance id, and the client gets a fixed detail.
 * Stateless, so thread-safe.
 */
@Provider
public class HearthErrorMapper implements ExceptionMapper<HearthConnectionException> {

    @Override
    public Response toResponse(HearthConnectionException e) {
        HearthError error = e.error();
        String detail = status(error) >= 500 ? serverDetail(error) : e.getMessage();
        Response response = Problem.response(status(error), kind(error), title(error), detail, e.details(), e);
        if (error.retriable() && status(error) == 503) {
            return Response.fromResponse(response).header("Retry-After", "1").build();
        }
        if (error == HearthError.LOGIN_BUSY) {
            return Response.fromResponse(response).header("Retry-After",
                    String.valueOf(e.details().getOrDefault("retryAfterSeconds", 1))).build();
        }
        return response;
    }

    static int status(HearthError error) {
        return switch (error) {
            case INVALID_TOPIC, INVALID_PARTITIONS, INVALID_CONFIG, INVALID_RECORD, INVALID_REQUEST -> 400;
            case UNKNOWN_TOPIC_OR_PARTITION, GROUP_NOT_FOUND, MEMBER_NOT_FOUND, USER_NOT_FOUND -> 404;
            case TOPIC_ALREADY_EXISTS, GROUP_NOT_EMPTY, COMMIT_FAILED -> 409;
            case RECORD_TOO_LARGE -> 413;
            case LOGIN_BUSY -> 429;
            case OFFSET_OUT_OF_RANGE -> 416;
            case STORAGE_ERROR, NOT_AVAILABLE -> 503;
            case DISK_FULL -> 507;
        };
    }

    /** The detail of a 5xx: what the client can do, without the server-side cause. */
    static String serverDetail(HearthError error) {
        String logged = "; the cause was logged with this problem's instance id";
        return switch (error) {
            case STORAGE_ERROR -> "Hearth could not read or write its storage for this request" + logged;
            case DISK_FULL -> "Hearth's data directory has no space left: nothing was written; retry once space is "
                    + "freed" + logged;
            default -> "Hearth cannot serve this request now (starting, stopping or failed); retry later" + logged;
        };
    }

    static String kind(HearthError error) {
        return error.name().toLowerCase().replace('_', '-');
    }

    static String title(HearthError error) {
        return switch (error) {
            case INVALID_TOPIC -> "Invalid topic name";
            case TOPIC_ALREADY_EXISTS -> "Topic already exists";
            case UNKNOWN_TOPIC_OR_PARTITION -> "Unknown topic or partition";
            case INVALID_PARTITIONS -> "Invalid partition count";
            case INVALID_CONFIG -> "Invalid configuration";
            case INVALID_RECORD -> "Invalid record";
            case RECORD_TOO_LARGE -> "Record too large";
            case OFFSET_OUT_OF_RANGE -> "Offset out of range";
            case STORAGE_ERROR -> "Storage unavailable";
            case DISK_FULL -> "Insufficient storage";
            case NOT_AVAILABLE -> "Hearth not available";
            case GROUP_NOT_EMPTY -> "Consumer group has members";
            case GROUP_NOT_FOUND -> "Unknown consumer group";
            case MEMBER_NOT_FOUND -> "Unknown consumer group member";
            case COMMIT_FAILED -> "Offset commit refused";
            case LOGIN_BUSY -> "Too many logins";
            case INVALID_REQUEST -> "Invalid request";
            case USER_NOT_FOUND -> "Unknown user";
        };
    }
}
