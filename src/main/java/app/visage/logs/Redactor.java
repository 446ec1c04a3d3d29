package app.visage.logs;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The last line of defence against secrets in logs: rewrites secret-shaped text before a line leaves
 * the process. The first line is not logging them at all (see {@link LoggableException}); this
 * catches what slips through, such as a library's exception message that quotes a URL or a request.
 * It knows the configured secrets by value, and the shapes of the others: presigned and webhook
 * URLs' query strings, credentials in headers and JSON bodies, data URIs, base64 and binary runs.
 */
public final class Redactor {
    public static final String MARK = "[redacted]";
    /** Shorter configured values are not redacted by value: they would blank out ordinary words. */
    static final int MIN_KNOWN_LENGTH = 8;
    /** Longest message or stack trace kept, after redaction. */
    static final int MAX_LENGTH = 16 * 1024;

    private static final List<Rule> SHAPES = List.of(
            // A photo inline: data:image/jpeg;base64,… (and any other data URI).
            rule("(?i)\\bdata:[a-z0-9.+-]*/?[a-z0-9.+-]*(?:;[^,\\s\"'<>]*)?,[^\\s\"'<>\\\\]*", "data:" + MARK),
            // Standard Webhooks signing secrets.
            rule("whsec_[A-Za-z0-9+/=_-]*", MARK),
            // Credentials in an Authorization header (the scheme goes too: "Bearer" alone names nothing).
            rule("(?i)\\b(?:bearer|basic)\\s+[A-Za-z0-9._~+/=-]+", MARK),
            rule(
                    "(?i)\\b(authorization|x-api-key|api-key|apikey)(\\s*[:=]\\s*)(?!\\[*redacted)[^\\s\"',;}\\]]+",
                    "$1$2" + MARK),
            // Secret fields of a JSON body (ModelsLab's "key", MetaHuman's "token", …).
            rule(
                    "(?i)\"(key|api_?key|token|access_?token|secret|password|authorization)\"(\\s*:\\s*)\"[^\"]*\"",
                    "\"$1\"$2\"" + MARK + "\""),
            // Any query string: presigned URLs (X-Amz-Signature, X-Amz-Credential), webhook URLs (?token=).
            rule("\\?[^\\s\"'<>#?=&]+=[^\\s\"'<>]*", "?" + MARK),
            rule("(?i)%3F[^\\s\"'<>&]*?%3D[^\\s\"'<>]*", "%3F" + MARK),
            // Secret parameters without their "?" (a query cut out of its URL, a form body).
            rule(
                    "(?i)\\b(?:x-amz-[a-z-]+|token|signature|api[_-]?key|access[_-]?token|secret|password)(?:=|%3D)"
                            + "[^\\s&\"'<>,;]*",
                    MARK),
            // Long base64 (or hex) runs: image bytes, keys, signatures.
            rule("[A-Za-z0-9+/_-]{64,}={0,2}", MARK),
            // Binary: a word holding control characters or U+FFFD is bytes printed as text.
            rule("[^\\s]*[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F\\uFFFD][^\\s]*", MARK));

    private final List<String> known;

    /** {@code secrets}: configured secret values, redacted wherever they appear, whatever their shape. */
    public Redactor(Collection<String> secrets) {
        Set<String> values = new LinkedHashSet<>();
        for (String secret : secrets) {
            if (secret == null) {
                continue;
            }
            // A list (visage.auth.api-keys) is one value in config: each of its items is a secret too.
            List<String> items = new ArrayList<>(List.of(secret.split(",")));
            items.add(secret);
            for (String item : items) {
                String value = item.strip();
                if (value.length() >= MIN_KNOWN_LENGTH) {
                    values.add(value);
                    values.add(URLEncoder.encode(value, StandardCharsets.UTF_8));
                    if (value.startsWith("whsec_") && value.length() - 6 >= MIN_KNOWN_LENGTH) {
                        values.add(value.substring("whsec_".length()));
                    }
                }
            }
        }
        List<String> sorted = new ArrayList<>(values);
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        this.known = List.copyOf(sorted);
    }

    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (String value : known) {
            out = out.replace(value, MARK);
        }
        for (Rule rule : SHAPES) {
            out = rule.apply(out);
        }
        return out.length() > MAX_LENGTH ? out.substring(0, MAX_LENGTH) + "…[truncated]" : out;
    }

    /**
     * A printed stack trace: frame lines name code, never data, so they are kept as they are (a generated
     * class name can look like a base64 run); the exception lines are redacted.
     */
    public String redactStackTrace(String trace) {
        StringBuilder out = new StringBuilder(trace.length());
        for (String line : trace.split("\\R")) {
            boolean frame = line.startsWith("\tat ") || line.startsWith("\t... ");
            out.append(frame ? line : redact(line)).append('\n');
        }
        return out.length() > MAX_LENGTH ? out.substring(0, MAX_LENGTH) + "…[truncated]" : out.toString();
    }

    /** Whether a config property (by its name in any source, environment names included) holds a secret. */
    static boolean isSecretProperty(String name) {
        String n = name.toLowerCase(Locale.ROOT).replace('_', '.').replace('-', '.');
        return n.startsWith("visage.")
                && (n.endsWith(".api.key")
                        || n.endsWith(".api.keys")
                        || n.endsWith(".secret")
                        || n.endsWith(".token")
                        || n.endsWith(".password"));
    }

    private static Rule rule(String regex, String replacement) {
        return new Rule(Pattern.compile(regex), replacement);
    }

    private record Rule(Pattern pattern, String replacement) {
        String apply(String text) {
            Matcher m = pattern.matcher(text);
            return m.find() ? m.replaceAll(replacement) : text;
        }
    }
}
