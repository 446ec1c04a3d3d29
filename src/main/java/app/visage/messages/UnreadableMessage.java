package app.visage.messages;

/**
 * A work message (or due-work marker) this build will not read: not JSON, of another version, of an unknown kind,
 * with a field its kind does not have, or a value out of shape. The message says which, and never quotes the body.
 */
public final class UnreadableMessage extends IllegalArgumentException {
    private final boolean newer;

    UnreadableMessage(String message, boolean newer) {
        super(message);
        this.newer = newer;
    }

    UnreadableMessage(String message) {
        this(message, false);
    }

    /** Written by a newer build: left for that build to read, never discarded by this one. */
    public boolean newer() {
        return newer;
    }
}
