package app.visage.errors;

import java.util.Locale;

/** The stable error codes of the public API, with the HTTP status each answers with. */
public enum ErrorCode {
    INVALID_REQUEST(400),
    INVALID_PARAM(400),
    UNSUPPORTED_MEDIA_TYPE(415),
    IMAGE_TOO_LARGE(413),
    IMAGE_UNREADABLE(422),
    FACE_NOT_FOUND(422),
    MULTIPLE_FACES(422),
    UNAUTHORIZED(401),
    NOT_FOUND(404),
    IDEMPOTENCY_CONFLICT(409),
    /** A webhook replay asked of a job with no webhook, or none of whose events was sent yet. */
    WEBHOOK_NOT_SENT(409),
    RATE_LIMITED(429),
    PROVIDER_ERROR(502),
    PROVIDER_TIMEOUT(504),
    CONTENT_MODERATION(422),
    EXPIRED(410),
    INTERNAL(500);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The code as it appears on the wire: {@code invalid_param}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
