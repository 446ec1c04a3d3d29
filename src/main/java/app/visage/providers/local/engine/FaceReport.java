package app.visage.providers.local.engine;

/**
 * What {@code face_recon} measures on a photo's single face, in source-image pixels. A colour is
 * {@code null} when it cannot be told from the photo (a grayscale photo; hair covered by a hat, or not
 * there). Nothing is inferred beyond what the pixels show.
 */
public record FaceReport(Box box, float score, Keypoints keypoints, ColorEstimate skin, ColorEstimate hair) {

    /** MediaPipe's six face keypoints; "right" is the subject's right, which is on the image's left. */
    public record Keypoints(
            Point rightEye, Point leftEye, Point noseTip, Point mouth, Point rightEarTragion, Point leftEarTragion) {

        static Keypoints of(Face face) {
            var k = face.keypoints();
            return new Keypoints(
                    k.get(Face.RIGHT_EYE),
                    k.get(Face.LEFT_EYE),
                    k.get(Face.NOSE_TIP),
                    k.get(Face.MOUTH),
                    k.get(Face.RIGHT_EAR_TRAGION),
                    k.get(Face.LEFT_EAR_TRAGION));
        }
    }

    /** A measured colour as {@code #rrggbb} (sRGB, as the photo shows it) and a confidence in 0..1. */
    public record ColorEstimate(String hex, double confidence) {}
}
