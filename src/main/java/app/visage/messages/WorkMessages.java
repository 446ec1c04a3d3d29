package app.visage.messages;

import app.visage.jobs.model.JobId;
import app.visage.jobs.model.Work;
import app.visage.json.Json;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A {@link Work} as JSON: the body of a work-queue message and of a due-work marker, one versioned document
 * ({@code {"schema_version":1,"kind":"wake","job_id":"job_…","at":"2026-12-03T19:05:00Z"}}). Read strictly, like
 * the stored records: a field the kind does not have, another version, an unknown kind or a value out of shape is
 * refused with {@link UnreadableMessage}, never read with something dropped. Unlike stored records no message
 * predates versions, so a message without {@code schema_version} is refused too.
 *
 * <p>Built on Jackson's tree model, without reflection: every function may send or read work, the native ones too.
 */
public final class WorkMessages {
    public static final int VERSION = 1;
    static final String VERSION_FIELD = "schema_version";

    private static final ObjectReader STRICT = Json.MAPPER
            .reader()
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** A provider id as the configuration names them; it becomes part of a due-work marker's key. */
    private static final Pattern PROVIDER = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    private static final int MAX_PROVIDER_JOB_ID = 256;

    private WorkMessages() {}

    /**
     * The message for {@code work}. Refused like a message read back would be (a provider id out of shape, a
     * provider job id on other work than a confirmation): what the worker would refuse is never sent.
     */
    public static String encode(Work work) {
        ObjectNode document = Json.MAPPER.createObjectNode();
        document.put(VERSION_FIELD, VERSION).put("kind", work.kind().wire());
        if (work.job() != null) {
            document.put("job_id", work.job().value());
        }
        if (work.provider() != null) {
            document.put("provider", work.provider());
        }
        if (work.providerJobId() != null) {
            document.put("provider_job_id", work.providerJobId());
        }
        document.put("at", work.at().toString());
        read(document);
        try {
            return Json.MAPPER.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode work", e);
        }
    }

    /** The work {@code body} holds. */
    public static Work decode(String body) {
        if (body == null) {
            throw new UnreadableMessage("no body");
        }
        JsonNode tree;
        try {
            tree = STRICT.readTree(body);
        } catch (JsonProcessingException e) {
            // Jackson's message quotes the input: the body stays out of every message and log.
            throw new UnreadableMessage("not JSON");
        }
        return read(tree);
    }

    private static Work read(JsonNode tree) {
        if (!(tree instanceof ObjectNode document)) {
            throw new UnreadableMessage("not a JSON object");
        }
        JsonNode version = document.get(VERSION_FIELD);
        if (version == null) {
            throw new UnreadableMessage("no " + VERSION_FIELD);
        }
        if (!version.isInt() || version.intValue() < 1) {
            throw new UnreadableMessage(VERSION_FIELD + " is no version");
        }
        if (version.intValue() != VERSION) {
            throw new UnreadableMessage(
                    VERSION_FIELD + " " + version.intValue() + ": this build reads " + VERSION,
                    version.intValue() > VERSION);
        }
        String wire = text(document, "kind");
        Work.Kind kind;
        try {
            kind = Work.Kind.fromWire(wire);
        } catch (IllegalArgumentException e) {
            throw new UnreadableMessage("kind is none of wake, confirm, next_in_line");
        }
        Set<String> fields = switch (kind) {
            case WAKE -> Set.of(VERSION_FIELD, "kind", "job_id", "at");
            case CONFIRM -> Set.of(VERSION_FIELD, "kind", "job_id", "provider_job_id", "at");
            case NEXT_IN_LINE -> Set.of(VERSION_FIELD, "kind", "provider", "at");
        };
        for (Iterator<String> names = document.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw new UnreadableMessage("the field '" + name + "', which a version " + VERSION + " " + kind.wire()
                        + " message does not have");
            }
        }
        Instant at = at(document);
        return switch (kind) {
            case WAKE -> Work.wake(job(document), at);
            case CONFIRM -> Work.confirm(job(document), providerJobId(document), at);
            case NEXT_IN_LINE -> Work.nextInLine(provider(document), at);
        };
    }

    private static String text(ObjectNode document, String field) {
        JsonNode value = document.get(field);
        if (value == null) {
            throw new UnreadableMessage("no " + field);
        }
        if (!value.isTextual()) {
            throw new UnreadableMessage(field + " is not a string");
        }
        return value.textValue();
    }

    private static JobId job(ObjectNode document) {
        String id = text(document, "job_id");
        try {
            return JobId.of(id);
        } catch (RuntimeException e) {
            throw new UnreadableMessage("job_id is not a job id");
        }
    }

    private static String provider(ObjectNode document) {
        String provider = text(document, "provider");
        if (!PROVIDER.matcher(provider).matches()) {
            throw new UnreadableMessage("provider is not a provider id");
        }
        return provider;
    }

    private static String providerJobId(ObjectNode document) {
        if (!document.has("provider_job_id")) {
            return null;
        }
        String id = text(document, "provider_job_id");
        if (id.isBlank() || id.length() > MAX_PROVIDER_JOB_ID) {
            throw new UnreadableMessage("provider_job_id is blank or longer than " + MAX_PROVIDER_JOB_ID);
        }
        return id;
    }

    private static Instant at(ObjectNode document) {
        try {
            return Instant.parse(text(document, "at"));
        } catch (DateTimeParseException e) {
            throw new UnreadableMessage("at is not an ISO-8601 instant");
        }
    }
}
