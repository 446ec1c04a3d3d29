package app.visage.providers.local.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import app.visage.images.ImageInspector;
import app.visage.support.TestPhotos;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BlazeFaceDetectorTest {

    private static BlazeFaceDetector detector;

    @BeforeAll
    static void load() {
        detector = new BlazeFaceDetector();
    }

    @AfterAll
    static void close() {
        detector.close();
    }

    static BufferedImage decoded(String name) {
        byte[] bytes = TestPhotos.bytes(name);
        return new ImageDecoder().decode(bytes, new ImageInspector().inspect(bytes), Integer.MAX_VALUE);
    }

    static Pixels decodedPixels(String name) {
        return Pixels.of(decoded(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"astronaut.jpg", "grace_hopper.jpg", "camera.jpg", "small_face_scene.jpg"})
    void findsExactlyOneFace(String photo) {
        List<Face> faces = detector.detect(decoded(photo));
        assertThat(faces).hasSize(1);
        assertThat(faces.get(0).score()).isGreaterThanOrEqualTo(BlazeFaceDetector.CONFIRM_SCORE);
        assertThat(faces.get(0).keypoints()).hasSize(6);
    }

    @ParameterizedTest
    @ValueSource(strings = {"chelsea.jpg", "coffee.jpg", "rocket.jpg"})
    void findsNoFaceOnCatsCupsAndRockets(String photo) {
        assertThat(detector.detect(decoded(photo))).isEmpty();
    }

    @Test
    void placesTheAstronautsFaceAndKeypoints() {
        Face face = detector.detect(decoded("astronaut.jpg")).get(0);
        // Her face spans about x 175..275, y 70..180 in the 512x512 photo.
        assertThat(face.box().centerX()).isCloseTo(225, within(15.0));
        assertThat(face.box().centerY()).isCloseTo(125, within(15.0));
        assertThat(face.box().width()).isBetween(80.0, 130.0);
        Point rightEye = face.keypoints().get(Face.RIGHT_EYE);
        Point leftEye = face.keypoints().get(Face.LEFT_EYE);
        Point nose = face.keypoints().get(Face.NOSE_TIP);
        Point mouth = face.keypoints().get(Face.MOUTH);
        assertThat(rightEye.x()).isLessThan(leftEye.x()); // the subject's right eye is on the image's left
        assertThat(nose.y()).isGreaterThan(Math.max(rightEye.y(), leftEye.y()));
        assertThat(mouth.y()).isGreaterThan(nose.y());
        assertThat(nose.x()).isBetween(rightEye.x(), leftEye.x());
    }

    @Test
    void findsTheSmallFaceTheFrontModelAloneMisses() {
        // The face is ~9% of the scene's long side: too small for the front model on the whole picture.
        Face face = detector.detect(decoded("small_face_scene.jpg")).get(0);
        assertThat(face.box().centerX()).isCloseTo(1870, within(40.0));
        assertThat(face.box().centerY()).isCloseTo(728, within(40.0));
        assertThat(face.box().width() / 2400).isBetween(0.06, 0.12);
    }

    @Test
    void findsBothPeopleSideBySide() {
        List<Face> faces = detector.detect(decoded("two_people.jpg"));
        assertThat(faces).hasSize(2);
        assertThat(faces.get(0).box().area())
                .isGreaterThanOrEqualTo(faces.get(1).box().area()); // largest first
        assertThat(faces.get(0).box().iou(faces.get(1).box())).isZero();
    }

    @Test
    void findsTheUprightFaceInAnExifRotatedPhoto() {
        Face face = detector.detect(decoded("grace_hopper_exif6.jpg")).get(0);
        Point r = face.keypoints().get(Face.RIGHT_EYE);
        Point l = face.keypoints().get(Face.LEFT_EYE);
        double eyeDistance = Math.hypot(l.x() - r.x(), l.y() - r.y());
        assertThat(Math.abs(l.y() - r.y())).isLessThan(0.2 * eyeDistance); // eyes level: upright
        assertThat(face.keypoints().get(Face.MOUTH).y()).isGreaterThan(r.y() + 0.5 * eyeDistance);
        // Where the face is in the upright original.
        Face original = detector.detect(decoded("grace_hopper.jpg")).get(0);
        assertThat(face.box().iou(original.box())).isGreaterThan(0.8);
    }

    @Test
    void detectsFromManyThreadsAtOnceWithTheSameResults() throws Exception {
        String[] photos = {"astronaut.jpg", "grace_hopper.jpg", "two_people.jpg", "chelsea.jpg"};
        List<BufferedImage> images = new ArrayList<>();
        List<List<Face>> expected = new ArrayList<>();
        for (String p : photos) {
            images.add(decoded(p));
            expected.add(detector.detect(images.get(images.size() - 1)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Face>>> results = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (BufferedImage image : images) {
                    results.add(pool.submit(() -> detector.detect(image)));
                }
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get()).isEqualTo(expected.get(i % photos.length));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void weightedNmsMergesOverlapsByScoreAndKeepsSeparateFaces() {
        List<Point> kp = List.of(
                new Point(0, 0), new Point(0, 0), new Point(0, 0), new Point(0, 0), new Point(0, 0), new Point(0, 0));
        Face a = new Face(new Box(0, 0, 100, 100), kp, 0.9f);
        Face b = new Face(new Box(10, 0, 100, 100), kp, 0.6f); // IoU 0.82 with a
        Face c = new Face(new Box(300, 300, 50, 50), kp, 0.7f);
        List<Face> merged = BlazeFaceDetector.weightedNms(List.of(b, c, a));
        assertThat(merged).hasSize(2);
        Face top = merged.get(0);
        assertThat(top.score()).isEqualTo(0.9f);
        assertThat(top.box().x()).isCloseTo(10 * 0.6 / 1.5, within(1e-6)); // score-weighted mean
        assertThat(merged.get(1).box()).isEqualTo(c.box());
    }
}
