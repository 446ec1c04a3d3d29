package app.visage.providers.local.engine;

import java.util.List;

/**
 * One detected face in source-image pixels. Keypoints are in MediaPipe's order: right eye, left eye, nose
 * tip, mouth, right ear tragion, left ear tragion ("right" is the subject's right, on the image's left).
 */
public record Face(Box box, List<Point> keypoints, float score) {

    public static final int RIGHT_EYE = 0;
    public static final int LEFT_EYE = 1;
    public static final int NOSE_TIP = 2;
    public static final int MOUTH = 3;
    public static final int RIGHT_EAR_TRAGION = 4;
    public static final int LEFT_EAR_TRAGION = 5;

    public Face {
        keypoints = List.copyOf(keypoints);
    }

    /** The same face in a picture scaled by {@code s} (e.g. from a reduced decode back to the photo). */
    public Face scaled(double s) {
        Box b = new Box(box.x() * s, box.y() * s, box.width() * s, box.height() * s);
        return new Face(
                b, keypoints.stream().map(p -> new Point(p.x() * s, p.y() * s)).toList(), score);
    }
}
