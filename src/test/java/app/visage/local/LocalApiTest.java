package app.visage.local;

import static app.visage.support.LocalApi.awaitEnd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import app.visage.images.ImageInspector;
import app.visage.providers.local.engine.ImageDecoder;
import app.visage.support.Bucket;
import app.visage.support.LocalApi;
import app.visage.support.MetadataPhotos;
import app.visage.support.TestPhotos;
import app.visage.support.UploadForms;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.GpsDirectory;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The whole job lifecycle through local mode's HTTP API: real HTTP, real events, real S3, real photos. */
@QuarkusTest
class LocalApiTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Inject
    LocalHttpServer server;

    @Inject
    Bucket bucket;

    private RequestSpecification api() {
        return LocalApi.given(server);
    }

    private String submit(Map<String, Object> body) {
        return api().contentType("application/json")
                .body(body)
                .post("/v1/jobs")
                .then()
                .statusCode(202)
                .body("status", notNullValue())
                .body("links.self", notNullValue())
                .extract()
                .path("id");
    }

    @Test
    void portraitBecomesHeadShotOfAskedSize() throws Exception {
        String id = submit(Map.of(
                "operation",
                "head_shot",
                "face_image",
                TestPhotos.dataUri("astronaut.jpg", "image/jpeg"),
                "params",
                Map.of("width", 384, "height", 512),
                "metadata",
                Map.of("user", "42")));
        JsonPath job = awaitEnd(server, id);
        assertThat(job.getString("status")).isEqualTo("succeeded");
        assertThat(job.getString("provider")).isEqualTo("local");
        assertThat(job.getMap("metadata")).containsEntry("user", "42");
        assertThat(job.getString("expires_at")).isNotBlank();
        BufferedImage shot = download(job, 0, "image/png");
        assertThat(shot.getWidth()).isEqualTo(384);
        assertThat(shot.getHeight()).isEqualTo(512);
        assertThat(job.getInt("outputs[0].width")).isEqualTo(384);
        assertThat(bucket.keys("outputs/" + id + "/")).containsExactly("outputs/" + id + "/1.png");
        assertThat(bucket.keys("inputs/" + id + "/")).containsExactly("inputs/" + id + "/face.jpg");
    }

    @Test
    void smallFaceInWideSceneBecomesJpegHeadShot() throws Exception {
        String id = submit(Map.of(
                "operation",
                "head_shot",
                "provider",
                "local",
                "face_image",
                TestPhotos.dataUri("small_face_scene.jpg", "image/jpeg"),
                "params",
                Map.of("width", 512, "height", 768, "output_format", "jpeg")));
        JsonPath job = awaitEnd(server, id);
        assertThat(job.getString("status")).isEqualTo("succeeded");
        BufferedImage shot = download(job, 0, "image/jpeg");
        assertThat(shot.getWidth()).isEqualTo(512);
        assertThat(shot.getHeight()).isEqualTo(768);
    }

    @Test
    void heicPortraitBecomesHeadShot() throws Exception {
        assumeTrue(
                new ImageDecoder().heifSupported(),
                "HEIC decoding needs libheif's heif-convert (.ci/run installs libheif-examples)");
        String id = submit(Map.of(
                "operation",
                "head_shot",
                "face_image",
                TestPhotos.dataUri("astronaut.heic", "image/heic"),
                "params",
                Map.of("width", 200, "height", 250)));
        JsonPath job = awaitEnd(server, id);
        assertThat(job.getString("status")).isEqualTo("succeeded");
        assertThat(bucket.keys("inputs/" + id + "/")).containsExactly("inputs/" + id + "/face.heic");
        BufferedImage shot = download(job, 0, "image/png");
        assertThat(shot.getWidth()).isEqualTo(200);
    }

    @Test
    void multipartUploadWorks() throws Exception {
        String id = api().multiPart("face_image", "grace.jpg", TestPhotos.bytes("grace_hopper.jpg"), "image/jpeg")
                .multiPart(
                        "request",
                        "{\"operation\":\"head_shot\",\"params\":{\"aspect_ratio\":\"4:5\"}}",
                        "application/json")
                .post("/v1/jobs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        JsonPath job = awaitEnd(server, id);
        assertThat(job.getString("status")).isEqualTo("succeeded");
        BufferedImage shot = download(job, 0, "image/png");
        assertThat(shot.getWidth()).isEqualTo(512);
        assertThat(shot.getHeight()).isEqualTo(640);
    }

    @Test
    void presignedUploadFlowRunsTheJob() throws Exception {
        JsonPath ticket = api().contentType("application/json")
                .body(Map.of(
                        "operation",
                        "head_shot",
                        "content_type",
                        "image/jpeg",
                        "params",
                        Map.of("width", 256, "height", 256)))
                .post("/v1/uploads")
                .then()
                .statusCode(201)
                .body("upload_fields.Content-Type", equalTo("image/jpeg"))
                .body("max_bytes", equalTo(10 * 1024 * 1024))
                .extract()
                .jsonPath();
        String id = ticket.getString("job_id");
        assertThat(api().get("/v1/jobs/" + id).then().statusCode(200).extract().<String>path("status"))
                .isEqualTo("queued");
        HttpResponse<String> post = UploadForms.post(ticket, TestPhotos.bytes("astronaut.jpg"));
        assertThat(post.statusCode()).as(post.body()).isEqualTo(204);
        JsonPath job = awaitEnd(server, id);
        assertThat(job.getString("status")).isEqualTo("succeeded");
        BufferedImage shot = download(job, 0, "image/png");
        assertThat(shot.getWidth()).isEqualTo(256);
        assertThat(bucket.keys("uploads/" + id + "/")).isEmpty();
        assertThat(bucket.keys("inputs/" + id + "/")).hasSize(1);
    }

    @Test
    void aBadUploadFailsTheJobAndIsRemoved() throws Exception {
        JsonPath ticket = headShotUpload();
        String id = ticket.getString("job_id");
        HttpResponse<String> post = UploadForms.post(ticket, "not a photo at all".getBytes(StandardCharsets.UTF_8));
        assertThat(post.statusCode()).as(post.body()).isEqualTo(204);
        JsonPath job = awaitEnd(server, id);
        assertThat(job.getString("status")).isEqualTo("failed");
        assertThat(job.getString("error.code")).isEqualTo("unsupported_media_type");
        assertThat(bucket.keys("uploads/" + id + "/")).isEmpty();
        assertThat(bucket.keys("inputs/" + id + "/")).isEmpty();
    }

    /** The size limit is S3's to enforce: the form's policy, checked by the embedded S3 as by S3. */
    @Test
    void anUploadOverTheImageLimitIsRefusedByS3AndNothingIsStored() {
        JsonPath ticket = headShotUpload();
        String id = ticket.getString("job_id");
        byte[] tooLarge = new byte[ticket.getInt("max_bytes") + 1];

        HttpResponse<String> post = UploadForms.post(ticket, tooLarge);

        assertThat(post.statusCode()).isEqualTo(400);
        assertThat(post.body()).contains("<Code>EntityTooLarge</Code>");
        assertThat(bucket.keys("uploads/" + id + "/")).isEmpty();
        assertThat(api().get("/v1/jobs/" + id).then().statusCode(200).extract().<String>path("status"))
                .as("still waiting for a photo it can take")
                .isEqualTo("queued");
    }

    @Test
    void twoComparableFacesEndInMultipleFaces() {
        String id = submit(
                Map.of("operation", "head_shot", "face_image", TestPhotos.dataUri("two_people.jpg", "image/jpeg")));
        JsonPath job = awaitEnd(server, id);
        assertThat(job.getString("status")).isEqualTo("failed");
        assertThat(job.getString("error.code")).isEqualTo("multiple_faces");
    }

    @Test
    void returnBase64GivesTheOutputAsADataUri() throws IOException {
        String id = submit(Map.of(
                "operation",
                "head_shot",
                "face_image",
                TestPhotos.dataUri("grace_hopper_exif6.jpg", "image/jpeg"),
                "params",
                Map.of("width", 128, "height", 160, "return_base64", true)));
        JsonPath job = awaitEnd(server, id);
        assertThat(job.getString("status")).isEqualTo("succeeded");
        String url = job.getString("outputs[0].url");
        assertThat(url).startsWith("data:image/png;base64,");
        BufferedImage shot =
                ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1))));
        assertThat(shot.getWidth()).isEqualTo(128);
        assertThat(shot.getHeight()).isEqualTo(160);
    }

    @Test
    void aPhotoWithGpsIsStoredWithoutItAndItsHeadShotCarriesNoMetadata() throws Exception {
        String id = submit(Map.of(
                "operation",
                "head_shot",
                "face_image",
                TestPhotos.dataUri("grace_hopper_exif6.jpg", "image/jpeg"),
                "params",
                Map.of("width", 256, "height", 320, "output_format", "jpeg")));
        JsonPath job = awaitEnd(server, id);
        assertThat(job.getString("status")).isEqualTo("succeeded");

        byte[] input = bucket.bytes("inputs/" + id + "/face.jpg");
        assertThat(MetadataPhotos.metadata(input).getFirstDirectoryOfType(GpsDirectory.class))
                .isNull();
        assertThat(new ImageInspector().inspect(input).orientation()).isEqualTo(6); // still shown upright
        byte[] output = bucket.bytes("outputs/" + id + "/1.jpg");
        assertThat(MetadataPhotos.metadata(output).getFirstDirectoryOfType(ExifIFD0Directory.class))
                .isNull();
        assertThat(MetadataPhotos.metadata(output).getFirstDirectoryOfType(GpsDirectory.class))
                .isNull();
        BufferedImage shot = download(job, 0, "image/jpeg");
        assertThat(shot.getWidth()).isEqualTo(256);
        assertThat(shot.getHeight()).isEqualTo(320);
    }

    @Test
    void photoWithoutFaceEndsInFaceNotFound() {
        String id =
                submit(Map.of("operation", "head_shot", "face_image", TestPhotos.dataUri("chelsea.jpg", "image/jpeg")));
        JsonPath job = awaitEnd(server, id);
        assertThat(job.getString("status")).isEqualTo("failed");
        assertThat(job.getString("error.code")).isEqualTo("face_not_found");
        assertThat(job.getList("outputs")).isEmpty();
    }

    @Test
    void faceReconOnLocalReportsWhatItMeasured() {
        String id = submit(
                Map.of("operation", "face_recon", "face_image", TestPhotos.dataUri("astronaut.jpg", "image/jpeg")));
        JsonPath job = awaitEnd(server, id);
        assertThat(job.getString("status")).isEqualTo("succeeded");
        assertThat(job.getMap("result.face")).containsKeys("box", "keypoints", "score");
        assertThat(job.getMap("result.face.keypoints")).hasSize(6);
        assertThat(job.getString("result.skin.color")).matches("#[0-9a-f]{6}");
        assertThat(job.getDouble("result.skin.confidence")).isBetween(0.0, 1.0);
        assertThat(job.getFloat("result.face.box.width")).isGreaterThan(50f);
        // What a detector cannot tell is there, as null.
        assertThat(job.getMap("result")).containsEntry("gender", null).containsEntry("accessories", null);
        assertThat(job.getMap("result.hair")).containsEntry("type", null);
        assertThat(job.getMap("result.face")).containsEntry("blend_shapes", null);
        assertThat(bucket.keys("outputs/" + id + "/")).containsExactly("outputs/" + id + "/result.json");
    }

    /** A head shot waiting for its photo: the upload ticket. */
    private JsonPath headShotUpload() {
        return api().contentType("application/json")
                .body(Map.of("operation", "head_shot"))
                .post("/v1/uploads")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
    }

    @Test
    void cancelStopsAQueuedJobAndIsIdempotent() {
        String id = headShotUpload().getString("job_id");
        api().post("/v1/jobs/" + id + "/cancel").then().statusCode(200).body("status", equalTo("canceled"));
        api().post("/v1/jobs/" + id + "/cancel").then().statusCode(200).body("status", equalTo("canceled"));
        api().post("/v1/jobs/job_aaaaaaaaaaaaaaaaaaaaaaaaaa/cancel")
                .then()
                .statusCode(404)
                .body("error.code", equalTo("not_found"));
    }

    @Test
    void refusedRequestsAnswerTheirCodeAndLeaveNothingBehind() {
        List<String> before = bucket.keys();
        refuse(
                api().contentType("application/json")
                        .body(Map.of(
                                "operation",
                                "head_shot",
                                "face_image",
                                "data:image/jpeg;base64,"
                                        + Base64.getEncoder()
                                                .encodeToString("just some text, not a photo".getBytes()))),
                415,
                "unsupported_media_type");
        byte[] eleven = Arrays.copyOf(TestPhotos.bytes("astronaut.jpg"), 11 * 1024 * 1024);
        refuse(
                api().multiPart("face_image", "big.jpg", eleven, "image/jpeg")
                        .multiPart("request", "{\"operation\":\"head_shot\"}", "application/json"),
                413,
                "image_too_large");
        refuse(
                        api().contentType("application/json")
                                .body(Map.of(
                                        "operation",
                                        "head_shot",
                                        "face_image",
                                        TestPhotos.dataUri("astronaut.jpg", "image/jpeg"),
                                        "params",
                                        Map.of("width", 600))),
                        400,
                        "invalid_param")
                .body("error.field", equalTo("params.width"));
        refuse(api().contentType("application/json").body("{\"operation\": \"head_shot\","), 400, "invalid_request");
        refuse(
                        api().contentType("application/json")
                                .body(Map.of(
                                        "operation",
                                        "face_gen",
                                        "provider",
                                        "local",
                                        "face_image",
                                        TestPhotos.dataUri("astronaut.jpg", "image/jpeg"))),
                        400,
                        "invalid_param")
                .body("error.message", org.hamcrest.Matchers.containsString("modelslab"));
        refuse(
                        api().contentType("application/json")
                                .body(Map.of(
                                        "operation",
                                        "face_to_model",
                                        "provider",
                                        "local",
                                        "face_image",
                                        TestPhotos.dataUri("astronaut.jpg", "image/jpeg"))),
                        400,
                        "invalid_param")
                .body("error.message", org.hamcrest.Matchers.containsString("fashn"));
        refuse(
                        api().contentType("application/json")
                                .body(Map.of("operation", "head_shot", "face_image", "http://127.0.0.1:9/face.jpg")),
                        400,
                        "invalid_param")
                .body("error.field", equalTo("face_image"));
        refuse(
                        api().contentType("application/json")
                                .body(Map.of(
                                        "operation",
                                        "head_shot",
                                        "face_image",
                                        TestPhotos.dataUri("astronaut.jpg", "image/jpeg"),
                                        "params",
                                        Map.of("steps", 21))),
                        400,
                        "invalid_param")
                .body("error.field", equalTo("params.steps"));
        api().get("/v1/jobs/job_aaaaaaaaaaaaaaaaaaaaaaaaaa")
                .then()
                .statusCode(404)
                .body("error.code", equalTo("not_found"));
        api().get("/v1/jobs/not-a-job-id").then().statusCode(404).body("error.code", equalTo("not_found"));
        api().get("/v1/nothing-here").then().statusCode(404).body("error.code", equalTo("not_found"));
        assertThat(bucket.keys()).containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    void aProviderWithoutItsKeyIsRefusedNamingTheSettingToSet() {
        refuse(
                        api().contentType("application/json")
                                .body(Map.of(
                                        "operation",
                                        "face_gen",
                                        "provider",
                                        "modelslab",
                                        "face_image",
                                        TestPhotos.dataUri("astronaut.jpg", "image/jpeg"),
                                        "params",
                                        Map.of("prompt", "portrait"))),
                        400,
                        "invalid_param")
                .body("error.field", equalTo("provider"))
                .body(
                        "error.message",
                        org.hamcrest.Matchers.allOf(
                                org.hamcrest.Matchers.containsString("visage.providers.modelslab.api-key"),
                                org.hamcrest.Matchers.containsString("VISAGE_PROVIDERS_MODELSLAB_API_KEY")));
    }

    @Test
    void aClientWebhookWithoutASigningSecretIsRefusedAndNothingIsStored() {
        List<String> before = bucket.keys();
        refuse(
                        api().contentType("application/json")
                                .body(Map.of(
                                        "operation",
                                        "head_shot",
                                        "face_image",
                                        TestPhotos.dataUri("astronaut.jpg", "image/jpeg"),
                                        "webhook",
                                        "https://app.example/visage-events")),
                        400,
                        "invalid_param")
                .body("error.field", equalTo("webhook"))
                .body("error.message", org.hamcrest.Matchers.containsString("VISAGE_WEBHOOKS_SECRET"));
        assertThat(bucket.keys()).containsExactlyInAnyOrderElementsOf(before);
    }

    private static io.restassured.response.ValidatableResponse refuse(
            RequestSpecification request, int status, String code) {
        return request.post("/v1/jobs")
                .then()
                .statusCode(status)
                .body("error.code", equalTo(code))
                .body("error.message", notNullValue());
    }

    private static BufferedImage download(JsonPath job, int index, String contentType)
            throws IOException, InterruptedException {
        assertThat(job.getString("outputs[" + index + "].content_type")).isEqualTo(contentType);
        HttpResponse<byte[]> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(job.getString("outputs[" + index + "].url")))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).hasSize(job.getInt("outputs[" + index + "].bytes"));
        return ImageIO.read(new ByteArrayInputStream(response.body()));
    }
}
