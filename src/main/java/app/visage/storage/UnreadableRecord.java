package app.visage.storage;

/**
 * A stored record this build will not read: of a newer schema version, with a field its version does not have,
 * or not a record at all. Reading on would drop what it does not know, and the next write would lose it.
 */
public final class UnreadableRecord extends IllegalStateException {
    UnreadableRecord(String message, Throwable cause) {
        super(message, cause);
    }
}
