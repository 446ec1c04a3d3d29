package app.visage.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.visage.config.VisageConfig;
import app.visage.faults.FaultProfile;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.JobStatus;
import app.visage.jobs.port.JobStore;
import app.visage.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The stores reading what is really in the bucket: a job record written before versions existed, and records
 * of a version newer than this build. (Records are removed afterwards, so no later test of this profile meets
 * them.)
 */
@QuarkusTest
@TestProfile(FaultProfile.class)
class StoredRecordsTest {
    @Inject
    S3JobStore jobs;

    @Inject
    S3IdempotencyStore idempotency;

    @Inject
    S3SlotStore slots;

    @Inject
    S3Client s3;

    @Inject
    VisageConfig config;

    private final List<String> written = new ArrayList<>();

    @AfterEach
    void removeRecords() {
        written.forEach(key -> s3.deleteObject(b -> b.bucket(config.bucket()).key(key)));
    }

    @Test
    void aJobRecordFromBeforeVersionsIsReadAndRewrittenWithItsVersionAndEveryField() throws IOException {
        byte[] old = fixture("job-pre-version.json");
        JobId id = JobId.of("job_5uayohayxvdxzjaaznp3snymga");
        put("jobs/" + id + ".json", old);

        JobStore.Versioned found = jobs.find(id).orElseThrow();
        assertThat(found.job().status()).isEqualTo(JobStatus.FAILED);
        assertThat(found.job().dispatch().providerJobId()).isEqualTo("81001");
        assertThat(found.job().dispatch().polls()).isEqualTo(4);
        assertThat(jobs.replace(found.job(), found.version())).isPresent();

        ObjectNode expected = (ObjectNode) Json.MAPPER.readTree(old);
        expected.put("schema_version", StoredJob.FORMAT.version());
        assertThat(stored("jobs/" + id + ".json")).isEqualTo(expected);
    }

    @Test
    void eachStoreRefusesARecordOfANewerVersionAndLeavesItAsItIs() throws IOException {
        byte[] job = newer("job-succeeded.json", StoredJob.FORMAT);
        byte[] key = newer("idempotency-done.json", StoredIdempotencyRecord.FORMAT);
        byte[] slot = newer("slot-held.json", StoredSlot.FORMAT);
        JobId id = JobId.of("job_vhj2zglznvv2fqd3yvjh4piffu");
        String hash = "0".repeat(64);
        put("jobs/" + id + ".json", job);
        put("idempotency/" + hash + ".json", key);
        put("slots/stored-records-test/0.json", slot);

        assertThatThrownBy(() -> jobs.find(id))
                .isInstanceOf(UnreadableRecord.class)
                .hasMessageContaining(
                        "jobs/" + id + ".json is StoredJob schema_version " + (StoredJob.FORMAT.version() + 1));
        assertThatThrownBy(() -> idempotency.find(hash))
                .isInstanceOf(UnreadableRecord.class)
                .hasMessageContaining("idempotency/" + hash + ".json is StoredIdempotencyRecord schema_version 2");
        assertThatThrownBy(() -> slots.read("stored-records-test", 0))
                .isInstanceOf(UnreadableRecord.class)
                .hasMessageContaining("slots/stored-records-test/0.json is StoredSlot schema_version 2");
        assertThat(stored("jobs/" + id + ".json")).isEqualTo(Json.MAPPER.readTree(job));
        assertThat(stored("idempotency/" + hash + ".json")).isEqualTo(Json.MAPPER.readTree(key));
        assertThat(stored("slots/stored-records-test/0.json")).isEqualTo(Json.MAPPER.readTree(slot));
    }

    private void put(String key, byte[] body) {
        written.add(key);
        s3.putObject(b -> b.bucket(config.bucket()).key(key), RequestBody.fromBytes(body));
    }

    private JsonNode stored(String key) throws IOException {
        return Json.MAPPER.readTree(
                s3.getObjectAsBytes(b -> b.bucket(config.bucket()).key(key)).asByteArray());
    }

    /** A golden fixture as a later build might write it: version 2, and a field version 1 does not have. */
    /** The fixture as the next version of {@code format} might write it, with a field this build does not know. */
    private static byte[] newer(String name, StoredFormat<?> format) throws IOException {
        ObjectNode document = (ObjectNode) Json.MAPPER.readTree(fixture(name));
        document.put("schema_version", format.version() + 1).put("region", "eu-west-1");
        return Json.write(document);
    }

    private static byte[] fixture(String name) {
        try (InputStream in = StoredRecordsTest.class.getResourceAsStream("golden/" + name)) {
            assertThat(in).as("golden/%s", name).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
