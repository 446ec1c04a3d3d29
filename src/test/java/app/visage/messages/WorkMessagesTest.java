package app.visage.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.visage.jobs.model.JobId;
import app.visage.jobs.model.Work;
import app.visage.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The work message, pinned by golden fixtures ({@code golden/}) as {@code StoredFormatsTest} pins the stored
 * records: each reads into the work it should and writes back as the same JSON; anything else is refused.
 */
class WorkMessagesTest {
    private static final Map<String, Work> EXPECTED = Map.of(
            "wake.json", Work.wake(JobId.of("job_44lg356p6fefoiyvhx7ksncthc"), at("2026-12-03T19:05:00Z")),
            "confirm.json",
                    Work.confirm(
                            JobId.of("job_vhj2zglznvv2fqd3yvjh4piffu"),
                            "8191e436-a8b6-4ffa-9164-51dd9b7e948c",
                            at("2026-12-03T16:28:43.936967162Z")),
            "confirm-without-provider-job.json",
                    Work.confirm(JobId.of("job_vhj2zglznvv2fqd3yvjh4piffu"), null, at("2026-12-03T16:28:43Z")),
            "next-in-line.json", Work.nextInLine("modelslab-enterprise", at("2026-12-03T19:05:00.250Z")));

    static List<String> fixtures() {
        try (Stream<Path> files =
                Files.list(Path.of(WorkMessagesTest.class.getResource("golden").toURI()))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void readsAsItsWorkAndWritesBackAsItWasRead(String fixture) {
        assertThat(EXPECTED).as("the work %s holds", fixture).containsKey(fixture);

        Work work = WorkMessages.decode(text(fixture));

        assertThat(work).isEqualTo(EXPECTED.get(fixture));
        assertThat(tree(WorkMessages.encode(work))).isEqualTo(tree(text(fixture)));
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void aNewerVersionIsRefusedAndLeftForTheBuildThatWroteIt(String fixture) {
        ObjectNode newer = object(fixture);
        newer.put("schema_version", 2);

        assertThatThrownBy(() -> WorkMessages.decode(newer.toString()))
                .isInstanceOfSatisfying(
                        UnreadableMessage.class, e -> assertThat(e.newer()).isTrue())
                .hasMessage("schema_version 2: this build reads 1");
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void aMessageWithoutItsVersionIsRefused(String fixture) {
        ObjectNode unversioned = object(fixture);
        unversioned.remove("schema_version");

        assertThatThrownBy(() -> WorkMessages.decode(unversioned.toString()))
                .isInstanceOfSatisfying(
                        UnreadableMessage.class, e -> assertThat(e.newer()).isFalse())
                .hasMessage("no schema_version");
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void aFieldItsKindDoesNotHaveIsRefusedNotDropped(String fixture) {
        ObjectNode widened = object(fixture);
        widened.put("priority", 7);

        assertThatThrownBy(() -> WorkMessages.decode(widened.toString()))
                .isInstanceOf(UnreadableMessage.class)
                .hasMessageContaining("'priority'");
    }

    @Test
    void everyKindHasAFixture() {
        assertThat(EXPECTED.values().stream().map(Work::kind)).containsAll(Arrays.asList(Work.Kind.values()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "not JSON                      | not json",
                "not JSON                      | {\"schema_version\":1,\"kind\":\"wake\"",
                "not JSON                      | {\"schema_version\":1} {}",
                "not JSON                      | {\"schema_version\":1,\"schema_version\":1}",
                "not a JSON object             | [1]",
                "not a JSON object             | ''",
                "schema_version is no version  | {\"schema_version\":\"1\",\"kind\":\"wake\"}",
                "schema_version is no version  | {\"schema_version\":1.5,\"kind\":\"wake\"}",
                "schema_version is no version  | {\"schema_version\":0,\"kind\":\"wake\"}",
                "no kind                       | {\"schema_version\":1}",
                "kind is not a string          | {\"schema_version\":1,\"kind\":3}",
                "kind is none of wake, confirm, next_in_line | {\"schema_version\":1,\"kind\":\"poll\"}",
                "no job_id                     | {\"schema_version\":1,\"kind\":\"wake\",\"at\":\"2026-12-03T19:05:00Z\"}",
                "job_id is not a string        | {\"schema_version\":1,\"kind\":\"wake\",\"job_id\":7,\"at\":\"2026-12-03T19:05:00Z\"}",
                "job_id is not a job id        | {\"schema_version\":1,\"kind\":\"wake\",\"job_id\":\"job_../x\",\"at\":\"2026-12-03T19:05:00Z\"}",
                "job_id is not a job id        | {\"schema_version\":1,\"kind\":\"confirm\",\"job_id\":\"JOB_44LG356P6FEFOIYVHX7KSNCTHC\",\"at\":\"2026-12-03T19:05:00Z\"}",
                "no at                         | {\"schema_version\":1,\"kind\":\"wake\",\"job_id\":\"job_44lg356p6fefoiyvhx7ksncthc\"}",
                "at is not a string            | {\"schema_version\":1,\"kind\":\"wake\",\"job_id\":\"job_44lg356p6fefoiyvhx7ksncthc\",\"at\":1796324700}",
                "at is not an ISO-8601 instant | {\"schema_version\":1,\"kind\":\"wake\",\"job_id\":\"job_44lg356p6fefoiyvhx7ksncthc\",\"at\":\"2026-12-03 19:05\"}",
                "at is not an ISO-8601 instant | {\"schema_version\":1,\"kind\":\"wake\",\"job_id\":\"job_44lg356p6fefoiyvhx7ksncthc\",\"at\":\"2026-12-03T19:05:00\"}",
                "provider is not a provider id | {\"schema_version\":1,\"kind\":\"next_in_line\",\"provider\":\"../fashn\",\"at\":\"2026-12-03T19:05:00Z\"}",
                "provider_job_id is not a string | {\"schema_version\":1,\"kind\":\"confirm\",\"job_id\":\"job_44lg356p6fefoiyvhx7ksncthc\",\"provider_job_id\":123,\"at\":\"2026-12-03T19:05:00Z\"}",
                "provider_job_id is blank or longer than 256 | {\"schema_version\":1,\"kind\":\"confirm\",\"job_id\":\"job_44lg356p6fefoiyvhx7ksncthc\",\"provider_job_id\":\" \",\"at\":\"2026-12-03T19:05:00Z\"}",
            })
    void aMessageOutOfShapeIsRefusedSayingWhy(String why, String body) {
        assertThatThrownBy(() -> WorkMessages.decode(body))
                .isInstanceOf(UnreadableMessage.class)
                .hasMessage(why);
    }

    @Test
    void aFieldOfAnotherKindIsRefused() {
        assertThatThrownBy(() -> WorkMessages.decode("{\"schema_version\":1,\"kind\":\"wake\","
                        + "\"job_id\":\"job_44lg356p6fefoiyvhx7ksncthc\",\"provider_job_id\":\"1\","
                        + "\"at\":\"2026-12-03T19:05:00Z\"}"))
                .hasMessage("the field 'provider_job_id', which a version 1 wake message does not have");
        assertThatThrownBy(() -> WorkMessages.decode("{\"schema_version\":1,\"kind\":\"next_in_line\","
                        + "\"job_id\":\"job_44lg356p6fefoiyvhx7ksncthc\",\"provider\":\"fashn\","
                        + "\"at\":\"2026-12-03T19:05:00Z\"}"))
                .hasMessage("the field 'job_id', which a version 1 next_in_line message does not have");
    }

    @Test
    void workTheWorkerWouldRefuseIsNeverSent() {
        Instant now = at("2026-12-03T19:05:00Z");
        JobId job = JobId.of("job_44lg356p6fefoiyvhx7ksncthc");

        assertThatThrownBy(() -> WorkMessages.encode(Work.nextInLine("Fashn AI", now)))
                .isInstanceOf(UnreadableMessage.class)
                .hasMessage("provider is not a provider id");
        assertThatThrownBy(() -> WorkMessages.encode(new Work(Work.Kind.WAKE, job, null, "123", now)))
                .isInstanceOf(UnreadableMessage.class);
        assertThatThrownBy(() -> WorkMessages.encode(Work.confirm(job, "x".repeat(257), now)))
                .isInstanceOf(UnreadableMessage.class);
    }

    @Test
    void noRefusalQuotesTheBody() {
        String secret = "whsec_c2VjcmV0";
        for (String body : List.of(
                secret,
                "{\"schema_version\":1,\"kind\":\"" + secret + "\"}",
                "{\"schema_version\":1,\"kind\":\"wake\",\"job_id\":\"" + secret
                        + "\",\"at\":\"2026-12-03T19:05:00Z\"}",
                "{\"schema_version\":1,\"kind\":\"wake\",\"job_id\":\"job_44lg356p6fefoiyvhx7ksncthc\",\"at\":\""
                        + secret + "\"}")) {
            assertThatThrownBy(() -> WorkMessages.decode(body))
                    .isInstanceOf(UnreadableMessage.class)
                    .message()
                    .doesNotContain(secret);
        }
    }

    private static Instant at(String instant) {
        return Instant.parse(instant);
    }

    private static ObjectNode object(String fixture) {
        return (ObjectNode) tree(text(fixture));
    }

    private static String text(String fixture) {
        try (InputStream in = WorkMessagesTest.class.getResourceAsStream("golden/" + fixture)) {
            assertThat(in).as("golden/%s", fixture).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode tree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
