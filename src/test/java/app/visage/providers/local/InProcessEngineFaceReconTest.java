package app.visage.providers.local;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.jobs.model.FaceRecon;
import app.visage.providers.local.engine.Box;
import app.visage.providers.local.engine.FaceReport;
import app.visage.providers.local.engine.Point;
import org.junit.jupiter.api.Test;

/** The engine's measurements in the one face_recon shape. */
class InProcessEngineFaceReconTest {
    private static final FaceReport.Keypoints KEYPOINTS = new FaceReport.Keypoints(
            new Point(10, 20),
            new Point(30, 20),
            new Point(20, 30),
            new Point(20, 40),
            new Point(5, 25),
            new Point(35, 25));

    @Test
    void whatTheEngineMeasuresFillsItsFieldsTheRestIsNull() {
        FaceRecon recon = InProcessEngine.faceRecon(new FaceReport(
                new Box(1, 2, 40, 50),
                0.9f,
                KEYPOINTS,
                new FaceReport.ColorEstimate("#c08060", 0.8),
                new FaceReport.ColorEstimate("#302010", 0.6)));

        assertThat(recon.skin()).isEqualTo(new FaceRecon.Skin("#c08060", 0.8));
        assertThat(recon.hair()).isEqualTo(new FaceRecon.Hair("#302010", null, 0.6));
        assertThat(recon.gender()).isNull();
        assertThat(recon.accessories()).isNull();
        assertThat(recon.face().blendShapes()).isNull();
        assertThat(recon.face().blinkCorrectionCoeff()).isNull();
        assertThat(recon.face().box()).isEqualTo(new FaceRecon.Box(1, 2, 40, 50));
        assertThat(recon.face().score()).isEqualTo(0.9);
        assertThat(recon.face().keypoints())
                .containsOnlyKeys("right_eye", "left_eye", "nose_tip", "mouth", "right_ear_tragion", "left_ear_tragion")
                .containsEntry("right_eye", new FaceRecon.Point(10, 20))
                .containsEntry("left_ear_tragion", new FaceRecon.Point(35, 25));
    }

    @Test
    void aColourThePhotoDoesNotShowIsNullWithItsConfidence() {
        FaceRecon recon = InProcessEngine.faceRecon(new FaceReport(new Box(1, 2, 40, 50), 0.9f, KEYPOINTS, null, null));

        assertThat(recon.skin()).isEqualTo(new FaceRecon.Skin(null, null));
        assertThat(recon.hair()).isEqualTo(new FaceRecon.Hair(null, null, null));
    }
}
