package app.visage.jobs.model;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.json.Json;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one face_recon result: every key present, null for what is not known, also after a store and read. */
class FaceReconTest {
    private static final FaceRecon MEASURED = new FaceRecon(
            new FaceRecon.Skin("#aa8866", 0.9),
            new FaceRecon.Hair(null, null, null),
            null,
            null,
            new FaceRecon.Face(
                    null,
                    null,
                    new FaceRecon.Box(1, 2, 30, 40),
                    Map.of("nose_tip", new FaceRecon.Point(15, 20)),
                    0.95));

    @Test
    void everyKeyIsWrittenWithNullForWhatIsNotKnown() throws Exception {
        JsonNode json = Json.MAPPER.readTree(Json.write(MEASURED.toResult()));

        assertThat(json).isEqualTo(Json.MAPPER.readTree("""
                        {"skin":{"color":"#aa8866","confidence":0.9},
                         "hair":{"color":null,"type":null,"confidence":null},
                         "gender":null,"accessories":null,
                         "face":{"blend_shapes":null,"blink_correction_coeff":null,
                                 "box":{"x":1.0,"y":2.0,"width":30.0,"height":40.0},
                                 "keypoints":{"nose_tip":{"x":15.0,"y":20.0}},"score":0.95}}
                        """));
    }

    @Test
    void aStoredResultReadBackWithoutItsNullsGetsThemBack() throws Exception {
        byte[] stored = Json.write(MEASURED.toResult());
        // What reading a record does: JSON nulls become Java nulls, which the next write drops.
        Map<String, Object> read = Json.MAPPER.readValue(stored, new TypeReference<Map<String, Object>>() {});
        Map<String, Object> rewritten =
                Json.MAPPER.readValue(Json.write(read), new TypeReference<Map<String, Object>>() {});
        assertThat(rewritten).doesNotContainKey("gender");

        assertThat(Json.MAPPER.readTree(Json.write(FaceRecon.withEveryKey(rewritten))))
                .isEqualTo(Json.MAPPER.readTree(stored));
    }

    @Test
    void keysOutsideTheShapeAreKeptAsStored() {
        Map<String, Object> older = Map.of("skin", Map.of("hex", "#aa8866"), "score", 0.9);

        Map<String, Object> shown = FaceRecon.withEveryKey(older);

        assertThat(shown).containsKeys("skin", "hair", "gender", "accessories", "face", "score");
        assertThat(shown.get("skin")).isInstanceOf(Map.class);
        assertThat(List.copyOf(((Map<?, ?>) shown.get("skin")).keySet()))
                .isEqualTo(List.of("color", "confidence", "hex"));
        assertThat(List.copyOf(shown.keySet()).subList(0, 5))
                .containsExactly("skin", "hair", "gender", "accessories", "face");
    }
}
