package app.visage.logs;

import java.util.Locale;

/** How lines are written: one JSON object each (deployed functions), or plain text (local mode). */
public enum LogFormat {
    JSON,
    TEXT;

    static LogFormat parse(String value) {
        return valueOf(value.strip().toUpperCase(Locale.ROOT));
    }
}
