package app.visage.auth;

import static app.visage.support.KeyedApi.ACME_KEY;
import static app.visage.support.KeyedApi.GLOBEX_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import app.visage.local.LocalHttpServer;
import app.visage.support.Bucket;
import app.visage.support.KeyedApi;
import app.visage.support.LocalApi;
import app.visage.support.TestPhotos;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** API keys and tenants through local mode's public API, with two tenants' keys configured. */
@QuarkusTest
@TestProfile(KeyedApi.Profile.class)
class TenantsTest {
    @Inject
    LocalHttpServer server;

    @Inject
    Bucket bucket;

    private RequestSpecification as(String key) {
        return KeyedApi.as(LocalApi.given(server), key);
    }

    /** A job that stays processing at the FASHN emulator long enough to be read and canceled. */
    private static Map<String, Object> fashnJob() {
        return Map.of(
                "operation",
                "face_to_model",
                "provider",
                "fashn",
                "face_image",
                TestPhotos.dataUri("astronaut.jpg", "image/jpeg"),
                "params",
                Map.of("prompt", "standing"));
    }

    /** What a request could have left: records, photos, idempotency keys (other jobs' outputs may still land). */
    private List<String> requestKeys() {
        return Stream.of("jobs/", "inputs/", "uploads/", "idempotency/")
                .flatMap(p -> bucket.keys(p).stream())
                .toList();
    }

    @Test
    void noKeyIsUnauthorizedAndNothingIsStored() {
        List<String> before = requestKeys();
        LocalApi.given(server)
                .contentType("application/json")
                .body(fashnJob())
                .post("/v1/jobs")
                .then()
                .statusCode(401)
                .body("error.code", equalTo("unauthorized"))
                .header("www-authenticate", "Bearer");
        assertThat(requestKeys()).isSubsetOf(before);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Bearer vsk_acme_0123456789abcdef0123456789abcdeX",
                "Bearer ",
                "Basic YWNtZTpzZWNyZXQ=",
                "vsk_acme_0123456789abcdef0123456789abcdef",
                "Bearer vsk_acme_0123456789abcdef0123456789abcdef extra"
            })
    void aWrongOrMalformedKeyIsUnauthorized(String authorization) {
        List<String> before = requestKeys();
        LocalApi.given(server)
                .header("Authorization", authorization)
                .contentType("application/json")
                .body(fashnJob())
                .post("/v1/jobs")
                .then()
                .statusCode(401)
                .body("error.code", equalTo("unauthorized"));
        LocalApi.given(server)
                .header("Authorization", authorization)
                .get("/v1/jobs/job_aaaaaaaaaaaaaaaaaaaaaaaaaa")
                .then()
                .statusCode(401)
                .body("error.code", equalTo("unauthorized"));
        assertThat(requestKeys()).isSubsetOf(before);
    }

    @Test
    void theSchemeIsCaseInsensitiveAsHttpSays() {
        LocalApi.given(server)
                .header("Authorization", "bearer " + ACME_KEY)
                .get("/v1/jobs/job_aaaaaaaaaaaaaaaaaaaaaaaaaa")
                .then()
                .statusCode(404)
                .body("error.code", equalTo("not_found"));
    }

    @Test
    void anotherTenantsJobIsNotFoundForReadAndCancel() {
        String id = as(ACME_KEY)
                .contentType("application/json")
                .body(fashnJob())
                .post("/v1/jobs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");

        as(GLOBEX_KEY).get("/v1/jobs/" + id).then().statusCode(404).body("error.code", equalTo("not_found"));
        as(GLOBEX_KEY)
                .post("/v1/jobs/" + id + "/cancel")
                .then()
                .statusCode(404)
                .body("error.code", equalTo("not_found"));
        // The same answer as for a job that never existed: nothing tells the other tenant it is there.
        String missing = as(GLOBEX_KEY)
                .get("/v1/jobs/job_aaaaaaaaaaaaaaaaaaaaaaaaaa")
                .then()
                .statusCode(404)
                .extract()
                .asString();
        assertThat(as(GLOBEX_KEY).get("/v1/jobs/" + id).then().extract().asString())
                .isEqualTo(missing);

        String status = as(ACME_KEY)
                .get("/v1/jobs/" + id)
                .then()
                .statusCode(200)
                .extract()
                .path("status");
        assertThat(status).isNotEqualTo("canceled");
        as(ACME_KEY).post("/v1/jobs/" + id + "/cancel").then().statusCode(200);
        String after = as(ACME_KEY)
                .get("/v1/jobs/" + id)
                .then()
                .statusCode(200)
                .extract()
                .path("status");
        assertThat(after).isIn("canceled", "succeeded");
    }

    @Test
    void uploadsBelongToTheirTenantToo() {
        String id = as(GLOBEX_KEY)
                .contentType("application/json")
                .body(Map.of("operation", "head_shot"))
                .post("/v1/uploads")
                .then()
                .statusCode(201)
                .extract()
                .path("job_id");
        as(ACME_KEY).get("/v1/jobs/" + id).then().statusCode(404);
        as(GLOBEX_KEY).get("/v1/jobs/" + id).then().statusCode(200).body("status", equalTo("queued"));
    }

    @Test
    void providerWebhooksNeedNoApiKeyTheirTokenIsTheirCredential() {
        // Refused for its token (404, as for every wrong provider, job or token), not for a missing API key.
        LocalApi.given(server)
                .contentType("application/json")
                .body("{}")
                .post("/v1/provider-webhooks/fashn/job_aaaaaaaaaaaaaaaaaaaaaaaaaa?token=nope")
                .then()
                .statusCode(404)
                .body("error.code", equalTo("not_found"));
    }
}
