package app.visage.errors;

/** A request refused by a quota: 429 rate_limited, with the seconds a client should wait (Retry-After). */
public class RateLimited extends VisageException {
    private final long retryAfterSeconds;

    public RateLimited(String message, long retryAfterSeconds) {
        super(ErrorCode.RATE_LIMITED, message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
