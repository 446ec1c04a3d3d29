package app.visage.providers.metahuman;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.emulators.EmulatorServer.Recorded;
import app.visage.emulators.metahuman.MetaHumanEmulator;
import app.visage.emulators.metahuman.MetaHumanEmulator.Part;
import app.visage.errors.ErrorCode;
import app.visage.jobs.model.ProviderOutcome;
import app.visage.json.Json;
import app.visage.providers.ProviderHttp;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** What each answer of {@code run_pipeline} becomes, and the body Visage sends it. */
class MetaHumanAnswersTest {
    private static final URI BASE_URL = URI.create("http://127.0.0.1:9/");

    @Test
    void theFullResultIsASuccessWithTheTextureOnMetaHumansOwnHost() {
        ProviderOutcome.Finished finished = (ProviderOutcome.Finished) answered(full());

        assertThat(finished.outputs())
                .containsExactly(new ProviderOutcome.Link(URI.create("http://127.0.0.1:9/static/job_x_texture.png")));
        Map<String, Object> result = finished.result();
        assertThat(result.get("skin")).isEqualTo(map("color", "#965e53", "confidence", NullNode.instance));
        assertThat(result.get("hair"))
                .isEqualTo(map("color", "#160406", "type", "long_straight", "confidence", NullNode.instance));
        assertThat(result.get("gender")).isEqualTo("Female");
        assertThat(result.get("accessories")).isEqualTo(List.of("glasses"));
        @SuppressWarnings("unchecked")
        Map<String, Object> face = (Map<String, Object>) result.get("face");
        @SuppressWarnings("unchecked")
        List<Double> shapes = (List<Double>) face.get("blend_shapes");
        assertThat(shapes).hasSize(80).startsWith(0.0, 0.5);
        assertThat(face.get("blink_correction_coeff")).isEqualTo(1.0096107066555675);
        assertThat(face).containsEntry("box", NullNode.instance).containsEntry("score", NullNode.instance);
    }

    @Test
    void anIntegerBlinkCoefficientAsThePageTypesItIsTakenToo() {
        ProviderOutcome outcome = answered(with(r -> ((ObjectNode) r.get("face")).put("blinkCorrectionCoeff", 1)));

        assertThat(outcome).isInstanceOf(ProviderOutcome.Finished.class);
    }

    @Test
    void upperCaseColoursAreWrittenInLowerCase() {
        ProviderOutcome.Finished finished =
                (ProviderOutcome.Finished) answered(with(r -> ((ObjectNode) r.get("skin")).put("color", "#965E53")));

        assertThat(finished.result().get("skin")).isEqualTo(map("color", "#965e53", "confidence", NullNode.instance));
    }

    @Test
    void anythingShortOfThePagesResultFailsNamingWhatWasWrong() {
        Map<String, Consumer<ObjectNode>> faults = Map.of(
                "face.blendShapes (80 numbers, not 81)",
                r -> ((ArrayNode) r.at("/face/blendShapes")).add(1.0),
                "face.blendShapes (80 numbers; it holds a STRING)",
                r -> ((ArrayNode) r.at("/face/blendShapes")).set(3, "0.1"),
                "face.textureUrl (a path)",
                r -> ((ObjectNode) r.get("face")).put("textureUrl", "http://elsewhere.example/t.png"),
                "face.blinkCorrectionCoeff (a number)",
                r -> ((ObjectNode) r.get("face")).put("blinkCorrectionCoeff", "1.0"),
                "hair.color (#rrggbb)",
                r -> ((ObjectNode) r.get("hair")).put("color", "brown"),
                "hair.type (a string)",
                r -> ((ObjectNode) r.get("hair")).remove("type"),
                "skin.color (#rrggbb)",
                r -> r.remove("skin"),
                "gender (a string)",
                r -> r.put("gender", ""),
                "accessories (a list of strings)",
                r -> r.putArray("accessories").add(3));
        faults.forEach((missing, fault) -> {
            ProviderOutcome outcome = answered(with(fault));

            assertThat(outcome).as(missing).isInstanceOf(ProviderOutcome.Failed.class);
            ProviderOutcome.Failed failed = (ProviderOutcome.Failed) outcome;
            assertThat(failed.code()).as(missing).isEqualTo(ErrorCode.PROVIDER_ERROR);
            assertThat(failed.message()).as(missing).isEqualTo("MetaHuman answered a result without " + missing);
        });
    }

    @Test
    void aTexturePathOnAnotherHostIsNotFollowed() {
        ProviderOutcome outcome =
                answered(with(r -> ((ObjectNode) r.get("face")).put("textureUrl", "//elsewhere.example/t.png")));

        assertThat(outcome).isInstanceOf(ProviderOutcome.Failed.class);
    }

    @Test
    void aSuccessThatIsNotJsonFails() {
        ProviderOutcome outcome =
                MetaHumanProvider.answered(ProviderHttp.answer(200, "{\"result\":{\"fa", null), BASE_URL);

        assertThat(outcome)
                .isEqualTo(new ProviderOutcome.Failed(
                        ErrorCode.PROVIDER_ERROR, "MetaHuman answered 200 with a body that is not JSON", null));
    }

    @Test
    void theDocumentedErrorCodesMap() {
        assertThat(((ProviderOutcome.Failed) error(3)).code()).isEqualTo(ErrorCode.IMAGE_TOO_LARGE);
        assertThat(((ProviderOutcome.Failed) error(4)).code()).isEqualTo(ErrorCode.FACE_NOT_FOUND);
        assertThat(((ProviderOutcome.Failed) error(5)).code()).isEqualTo(ErrorCode.IMAGE_UNREADABLE);
        assertThat(error(3)).isInstanceOf(ProviderOutcome.Failed.class);
        // A refused token reconstructed nothing: refused, so the next provider a request lists may take the job.
        assertThat(error(0)).isEqualTo(new ProviderOutcome.Refused(ErrorCode.PROVIDER_ERROR, "MetaHuman: m", "0"));
        assertThat(error(1)).isInstanceOf(ProviderOutcome.Refused.class);
    }

    @Test
    void theBodyIsOneTokenFieldAndOneFileUnderABoundaryNotInTheFile() {
        byte[] file = "\r\n--visage-\r\n\u0000\u00ff".getBytes(StandardCharsets.ISO_8859_1);
        MultipartBody body = MultipartBody.of("token", "t-1", "image_bytes", "job_x.png", "image/png", file);

        Recorded call = new Recorded(
                "POST",
                "/face_recon/run_pipeline",
                null,
                Map.of("Content-Type", List.of(body.contentType())),
                body.bytes());
        Map<String, Part> parts = MetaHumanEmulator.formParts(call);

        assertThat(body.contentType()).matches("multipart/form-data; boundary=visage-[0-9a-f]{32}");
        assertThat(parts.keySet()).containsExactly("token", "image_bytes");
        assertThat(parts.get("token").content()).isEqualTo("t-1".getBytes(StandardCharsets.UTF_8));
        assertThat(parts.get("token").filename()).isNull();
        assertThat(parts.get("image_bytes").filename()).isEqualTo("job_x.png");
        assertThat(parts.get("image_bytes").contentType()).isEqualTo("image/png");
        assertThat(parts.get("image_bytes").content()).isEqualTo(file);
    }

    private static ProviderOutcome error(int code) {
        return MetaHumanProvider.answered(
                ProviderHttp.answer(422, "{\"error\":{\"code\":" + code + ",\"message\":\"m\"}}", null), BASE_URL);
    }

    private static ProviderOutcome answered(ObjectNode body) {
        return MetaHumanProvider.answered(ProviderHttp.answer(200, body.toString(), null), BASE_URL);
    }

    /** The page's example, with 80 coefficients and one accessory. */
    private static ObjectNode full() {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ObjectNode result = body.putObject("result");
        ObjectNode face = result.putObject("face").put("textureUrl", "/static/job_x_texture.png");
        ArrayNode shapes = face.putArray("blendShapes");
        for (int i = 0; i < 80; i++) {
            shapes.add(i / 2.0);
        }
        face.put("blinkCorrectionCoeff", 1.0096107066555675);
        result.putObject("hair").put("color", "#160406").put("type", "long_straight");
        result.putObject("skin").put("color", "#965e53");
        result.putArray("accessories").add("glasses");
        result.put("gender", "Female");
        return body;
    }

    private static ObjectNode with(Consumer<ObjectNode> fault) {
        ObjectNode body = full();
        fault.accept((ObjectNode) body.get("result"));
        return body;
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
