package app.visage.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.visage.json.Json;
import app.visage.local.LocalHttpServer;
import app.visage.support.DueWork;
import app.visage.support.LocalApi;
import app.visage.support.TestPhotos;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A webhook secret being rotated: {@code visage.webhooks.secret} lists the new secret and the old one, and every
 * delivery carries a signature by each, so receivers still on the old secret and those already on the new one
 * both verify it: checked by hand, with the Java library, and with the Node reference library.
 */
@QuarkusTest
@TestProfile(WebhookSecretRotationTest.TwoSecrets.class)
class WebhookSecretRotationTest {
    static final String CURRENT = "whsec_"
            + Base64.getEncoder().encodeToString("the new secret, 32 bytes long!!!".getBytes(StandardCharsets.UTF_8));
    static final String PREVIOUS = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final Path SCRIPT = Path.of("src/test/node/verify-webhook.mjs");
    private static final String LIBRARY = "standardwebhooks";

    public static class TwoSecrets implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("visage.webhooks.secret", CURRENT + ", " + PREVIOUS, "visage.egress.allow-private", "true");
        }
    }

    @Inject
    LocalHttpServer server;

    @Inject
    DueWork dueWork;

    private Receiver receiver;

    @BeforeEach
    void receive() throws IOException {
        dueWork.purge();
        receiver = new Receiver();
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    private Receiver.Delivery delivered() {
        LocalApi.given(server)
                .contentType("application/json")
                .body(Map.of(
                        "operation",
                        "head_shot",
                        "face_image",
                        TestPhotos.dataUri("astronaut.jpg", "image/jpeg"),
                        "webhook",
                        receiver.url().toString()))
                .post("/v1/jobs")
                .then()
                .statusCode(202);
        dueWork.run();
        assertThat(receiver.received).hasSize(1);
        return receiver.received.get(0);
    }

    @Test
    void bothSignaturesAreSentTheCurrentFirstAndEachVerifies() throws Exception {
        Receiver.Delivery delivery = delivered();

        String[] signatures = delivery.header("webhook-signature").split(" ");
        String signed =
                delivery.header("webhook-id") + "." + delivery.header("webhook-timestamp") + "." + delivery.body();
        assertThat(signatures).containsExactly("v1," + hmac(CURRENT, signed), "v1," + hmac(PREVIOUS, signed));

        new Webhook(CURRENT).verify(delivery.body(), delivery.headers());
        new Webhook(PREVIOUS).verify(delivery.body(), delivery.headers());
        String other = "whsec_" + Base64.getEncoder().encodeToString(new byte[24]);
        assertThatThrownBy(() -> new Webhook(other).verify(delivery.body(), delivery.headers()))
                .isInstanceOf(WebhookVerificationException.class);
        assertThat(Json.MAPPER.readTree(delivery.body()).get("type").asText()).isEqualTo("job.succeeded");
    }

    @Test
    void theNodeReferenceLibraryVerifiesTheDeliveryWithEitherSecret() throws Exception {
        Optional<String> missing = nodeLibraryMissing();
        if (missing.isPresent()) {
            System.out.println("SKIPPED (Node reference library check): " + missing.get());
            return;
        }
        Receiver.Delivery delivery = delivered();

        assertThat(nodeVerifies(CURRENT, delivery.singleHeaders(), delivery.body()))
                .as("verified with the current secret")
                .isEqualTo(0);
        assertThat(nodeVerifies(PREVIOUS, delivery.singleHeaders(), delivery.body()))
                .as("verified with the previous secret")
                .isEqualTo(0);
        assertThat(nodeVerifies(
                        PREVIOUS, delivery.singleHeaders(), delivery.body().replace("succeeded", "failed")))
                .as("a tampered body is refused")
                .isEqualTo(1);
    }

    /** Why the Node check cannot run here, if it cannot: CI installs the library in src/test/node. */
    private static Optional<String> nodeLibraryMissing() {
        List<Path> places = new ArrayList<>(List.of(Path.of("src/test/node/node_modules")));
        String nodePath = System.getenv("NODE_PATH");
        if (nodePath != null) {
            Arrays.stream(nodePath.split(java.io.File.pathSeparator))
                    .filter(p -> !p.isBlank())
                    .forEach(p -> places.add(Path.of(p)));
        }
        if (places.stream().noneMatch(p -> Files.isDirectory(p.resolve(LIBRARY)))) {
            return Optional.of("src/test/node/node_modules/" + LIBRARY
                    + " is absent (run npm install in src/test/node, or point NODE_PATH at an install)");
        }
        try {
            Process probe = new ProcessBuilder("node", "--version").start();
            return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0
                    ? Optional.empty()
                    : Optional.of("node does not run");
        } catch (IOException | InterruptedException e) {
            return Optional.of("no node on the PATH");
        }
    }

    private static int nodeVerifies(String secret, Map<String, String> headers, String body) throws Exception {
        Process node = new ProcessBuilder("node", SCRIPT.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (var stdin = node.getOutputStream()) {
            stdin.write(Json.write(Map.of("secret", secret, "headers", headers, "body", body)));
        }
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).as("node finished").isTrue();
        return node.exitValue();
    }

    private static String hmac(String secret, String signed) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    }
}
