package app.visage.providers.local.engine;

import static app.visage.support.TestPhotos.codeOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import app.visage.errors.ErrorCode;
import app.visage.images.ImageFormat;
import app.visage.images.ImageHeader;
import app.visage.images.ImageInspector;
import app.visage.images.OutputFormat;
import app.visage.support.TestPhotos;
import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.GpsDirectory;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LocalEngineTest {

    private static final ImageInspector INSPECTOR = new ImageInspector();
    private static LocalEngine engine;
    private static BlazeFaceDetector checker;

    @BeforeAll
    static void start() {
        engine = new LocalEngine();
        checker = new BlazeFaceDetector();
    }

    @AfterAll
    static void stop() {
        engine.close();
        checker.close();
    }

    private static HeadShot headShot(byte[] bytes, int width, int height, OutputFormat format) {
        return engine.headShot(bytes, INSPECTOR.inspect(bytes), width, height, format);
    }

    private static FaceReport recon(String photo) {
        byte[] bytes = TestPhotos.bytes(photo);
        return engine.faceRecon(bytes, INSPECTOR.inspect(bytes));
    }

    @ParameterizedTest
    @CsvSource({
        "astronaut.jpg, 512, 512, PNG", "astronaut.jpg, 512, 768, JPEG", "astronaut.jpg, 300, 400, PNG",
        "grace_hopper.jpg, 512, 512, JPEG", "grace_hopper.jpg, 512, 768, PNG", "grace_hopper.jpg, 300, 400, JPEG",
        "small_face_scene.jpg, 512, 768, JPEG", "camera.jpg, 300, 400, PNG", "grace_hopper_exif6.jpg, 512, 768, JPEG",
    })
    void headShotHasTheAskedSizeWithTheFaceCentredInTheUpperHalf(
            String photo, int width, int height, OutputFormat format) {
        HeadShot shot = headShot(TestPhotos.bytes(photo), width, height, format);
        assertThat(shot.width()).isEqualTo(width);
        assertThat(shot.height()).isEqualTo(height);
        assertThat(shot.format()).isEqualTo(format);
        assertThat(shot.mediaType()).isEqualTo(format.mediaType());
        assertThat(ImageFormat.sniff(shot.bytes()))
                .contains(format == OutputFormat.PNG ? ImageFormat.PNG : ImageFormat.JPEG);
        BufferedImage out = TestPhotos.read(shot.bytes());
        assertThat(out.getWidth()).isEqualTo(width);
        assertThat(out.getHeight()).isEqualTo(height);

        List<Face> faces = checker.detect(out);
        assertThat(faces).hasSize(1);
        Box box = faces.get(0).box();
        assertThat(box.centerY()).isLessThan(height / 2.0);
        assertThat(box.y()).isGreaterThan(0); // some room above the face box for the hair
        assertThat(box.centerX()).isCloseTo(width / 2.0, within(0.1 * width));
        // Head and shoulders, not a face close-up nor a full figure.
        assertThat(box.width() / width).isBetween(0.2, 0.6);
        Point r = faces.get(0).keypoints().get(Face.RIGHT_EYE);
        Point l = faces.get(0).keypoints().get(Face.LEFT_EYE);
        assertThat(Math.abs(l.y() - r.y())).isLessThan(0.2 * Math.abs(l.x() - r.x())); // upright
    }

    @Test
    void extendsTheCanvasDownwardWhenTheFaceIsNearTheBottom() {
        // The astronaut cut off just below her chin: a 512x768 head shot needs rows the photo lacks.
        BufferedImage full = TestPhotos.image("astronaut.jpg");
        BufferedImage cut = new BufferedImage(512, 200, BufferedImage.TYPE_INT_RGB);
        cut.createGraphics().drawImage(full, 0, 0, null);
        HeadShot shot = headShot(TestPhotos.png(cut), 512, 768, OutputFormat.PNG);
        BufferedImage out = TestPhotos.read(shot.bytes());
        assertThat(out.getHeight()).isEqualTo(768);
        // Where the photo's last row lands in the output, from the same framing the engine uses.
        HeadShotFramer.Crop crop =
                HeadShotFramer.frame(checker.detect(cut).get(0).box(), 512, 200, 512, 768);
        assertThat(crop.y() + crop.height()).isGreaterThan(200);
        int edgeRow = (200 - crop.y()) * 768 / crop.height() - 3;
        assertThat(edgeRow).isLessThan(700);
        // Below it the canvas continues from that row, smoothed: the bottom row is far flatter than the
        // photo's edge row (the helmet ring, the suit) yet keeps its average colour.
        assertThat(roughness(out, 767)).isLessThan(roughness(out, edgeRow) / 3);
        assertThat(rowMean(out, 767)).isCloseTo(rowMean(out, edgeRow), within(25.0));
        Box box = checker.detect(out).get(0).box();
        assertThat(box.centerY()).isLessThan(384);
        assertThat(box.centerX()).isCloseTo(256, within(52.0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"chelsea.jpg", "coffee.jpg", "rocket.jpg"})
    void noFaceIsFaceNotFound(String photo) {
        byte[] bytes = TestPhotos.bytes(photo);
        assertThat(codeOf(() -> headShot(bytes, 512, 512, OutputFormat.PNG))).isEqualTo(ErrorCode.FACE_NOT_FOUND);
        assertThat(codeOf(() -> recon(photo))).isEqualTo(ErrorCode.FACE_NOT_FOUND);
    }

    @Test
    void twoPeopleAreMultipleFaces() {
        byte[] bytes = TestPhotos.bytes("two_people.jpg");
        assertThat(codeOf(() -> headShot(bytes, 512, 512, OutputFormat.JPEG))).isEqualTo(ErrorCode.MULTIPLE_FACES);
        assertThat(codeOf(() -> recon("two_people.jpg"))).isEqualTo(ErrorCode.MULTIPLE_FACES);
    }

    @Test
    void aFarSmallerSecondFaceIsIgnored() {
        List<Point> kp = List.of(
                new Point(0, 0), new Point(0, 0), new Point(0, 0), new Point(0, 0), new Point(0, 0), new Point(0, 0));
        Face main = new Face(new Box(0, 0, 200, 200), kp, 0.9f);
        Face background = new Face(new Box(500, 0, 90, 90), kp, 0.9f); // ~20% of the area
        Face second = new Face(new Box(500, 0, 110, 110), kp, 0.9f); // ~30%
        assertThat(LocalEngine.singleFace(List.of(main, background))).isSameAs(main);
        assertThat(codeOf(() -> LocalEngine.singleFace(List.of(main, second)))).isEqualTo(ErrorCode.MULTIPLE_FACES);
        assertThat(codeOf(() -> LocalEngine.singleFace(List.of()))).isEqualTo(ErrorCode.FACE_NOT_FOUND);
    }

    @Test
    void faceReconMeasuresTheAstronautsSkinAndHair() {
        FaceReport report = recon("astronaut.jpg");
        assertThat(report.box().centerX()).isCloseTo(225, within(15.0));
        assertThat(report.keypoints().rightEye().x())
                .isLessThan(report.keypoints().leftEye().x());
        assertThat(report.score()).isGreaterThan(0.6f);

        assertThat(report.skin()).isNotNull();
        assertThat(report.skin().hex()).matches("#[0-9a-f]{6}");
        int[] skin = rgb(report.skin().hex());
        assertThat(FaceColors.skinPlausibility(skin)).isEqualTo(1.0);
        assertThat(skin[0]).isGreaterThan(skin[1]).isBetween(170, 240); // light skin: R > G > B, well lit
        assertThat(skin[1]).isGreaterThan(skin[2]);
        assertThat(report.skin().confidence()).isBetween(0.5, 1.0);

        assertThat(report.hair()).isNotNull();
        int[] hair = rgb(report.hair().hex());
        assertThat(FaceColors.hairLike(hair)).isTrue();
        assertThat(luma(hair)).isLessThan(luma(skin) - 30); // her brown hair is darker than her skin
        assertThat(hair[0]).isGreaterThanOrEqualTo(hair[1]);
        assertThat(hair[1]).isGreaterThan(hair[2]);
        assertThat(report.hair().confidence()).isBetween(0.5, 1.0);
    }

    @Test
    void faceReconGivesNoColoursOnAGrayscalePhoto() {
        FaceReport report = recon("camera.jpg");
        assertThat(report.box().width()).isGreaterThan(30);
        assertThat(report.skin()).isNull();
        assertThat(report.hair()).isNull();
    }

    @Test
    void faceReconGivesNoHairColourUnderAHat() {
        FaceReport report = recon("grace_hopper.jpg");
        assertThat(report.skin()).isNotNull();
        assertThat(FaceColors.skinPlausibility(rgb(report.skin().hex()))).isGreaterThan(0.5);
        assertThat(report.hair()).isNull();
    }

    @Test
    void faceReconReportsInTheUprightPhotosPixels() {
        FaceReport upright = recon("grace_hopper.jpg");
        FaceReport rotated = recon("grace_hopper_exif6.jpg");
        assertThat(rotated.box().x()).isCloseTo(upright.box().x(), within(8.0));
        assertThat(rotated.box().y()).isCloseTo(upright.box().y(), within(8.0));
        // The scene is 2400 wide but is analysed at 1200: coordinates still come back in 2400-space.
        FaceReport scene = recon("small_face_scene.jpg");
        assertThat(scene.box().centerX()).isCloseTo(1870, within(40.0));
        assertThat(scene.box().width()).isBetween(150.0, 280.0);
    }

    @Test
    void outputsCarryNoExif() throws Exception {
        byte[] source = TestPhotos.bytes("grace_hopper_exif6.jpg"); // has Orientation and GPS tags
        for (OutputFormat format : OutputFormat.values()) {
            byte[] out = headShot(source, 300, 400, format).bytes();
            Metadata m = ImageMetadataReader.readMetadata(new ByteArrayInputStream(out), out.length);
            assertThat(m.getFirstDirectoryOfType(ExifIFD0Directory.class)).isNull();
            assertThat(m.getFirstDirectoryOfType(GpsDirectory.class)).isNull();
            assertThat(INSPECTOR.inspect(out).orientation()).isEqualTo(1);
        }
    }

    @Test
    void decodesHeicPhotos() {
        assumeTrue(new ImageDecoder().heifSupported(), "libheif's command-line decoder is not installed");
        FaceReport report = recon("astronaut.heic");
        assertThat(report.box().centerX()).isCloseTo(225, within(15.0));
        assertThat(report.skin()).isNotNull();
    }

    @Test
    void loadsModelsOnlyWhenFirstNeeded() {
        try (LocalEngine fresh = new LocalEngine()) {
            assertThat(fresh.modelsLoaded()).isFalse();
            assertThat(codeOf(() -> fresh.headShot(
                            TestPhotos.bytes("astronaut.jpg"),
                            INSPECTOR.inspect(TestPhotos.bytes("astronaut.jpg")),
                            0,
                            10,
                            OutputFormat.PNG)))
                    .isEqualTo(ErrorCode.INVALID_PARAM);
            assertThat(fresh.modelsLoaded()).isFalse();
            byte[] bad = TestPhotos.bytes("truncated.jpg");
            assertThat(codeOf(() -> fresh.faceRecon(bad, INSPECTOR.inspect(bad))))
                    .isEqualTo(ErrorCode.IMAGE_UNREADABLE);
            assertThat(fresh.modelsLoaded()).isFalse(); // a photo that fails to decode never loads them
            fresh.faceRecon(TestPhotos.bytes("astronaut.jpg"), INSPECTOR.inspect(TestPhotos.bytes("astronaut.jpg")));
            assertThat(fresh.modelsLoaded()).isTrue();
        }
    }

    @Test
    void servesConcurrentCalls() throws Exception {
        byte[] astronaut = TestPhotos.bytes("astronaut.jpg");
        byte[] grace = TestPhotos.bytes("grace_hopper.jpg");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<HeadShot>> shots = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                byte[] photo = i % 2 == 0 ? astronaut : grace;
                shots.add(pool.submit(() -> headShot(photo, 256, 384, OutputFormat.JPEG)));
            }
            for (Future<HeadShot> f : shots) {
                assertThat(TestPhotos.read(f.get().bytes()).getHeight()).isEqualTo(384);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A 12 MP photo (4032x3024, a phone camera's size) built here from grace_hopper over the rocket scene:
     * the head shot works at full resolution (its cost is measured in bench/).
     */
    @Test
    void twelveMegapixelHeadShot() {
        BufferedImage big = new BufferedImage(4032, 3024, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = big.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(TestPhotos.image("rocket.jpg"), 0, 0, 4032, 3024, null);
        g.drawImage(TestPhotos.image("grace_hopper.jpg"), 2000, 3024 - 1200, 1024, 1200, null);
        g.setColor(new Color(0, 0, 0, 40));
        for (int x = 0; x < 4032; x += 3) { // some fine texture so the JPEG is not trivially smooth
            g.drawLine(x, 0, x, 3024);
        }
        g.dispose();
        byte[] jpeg = new ImageEncoder().encode(big, OutputFormat.JPEG);
        ImageHeader header = INSPECTOR.inspect(jpeg);
        assertThat(header.pixels()).isEqualTo(4032L * 3024);

        // Speed is measured by the benchmarks in bench/, never asserted here.
        HeadShot result = engine.headShot(jpeg, header, 512, 768, OutputFormat.JPEG);
        assertThat(result.width()).isEqualTo(512);
        Box box = checker.detect(TestPhotos.read(result.bytes())).get(0).box();
        assertThat(box.centerY()).isLessThan(384);
        assertThat(box.centerX()).isCloseTo(256, within(52.0));
    }

    /** Mean absolute brightness step between neighbouring pixels of a row. */
    private static double roughness(BufferedImage image, int y) {
        double sum = 0;
        for (int x = 1; x < image.getWidth(); x++) {
            sum += Math.abs(luma(rgbAt(image, x, y)) - luma(rgbAt(image, x - 1, y)));
        }
        return sum / (image.getWidth() - 1);
    }

    private static double rowMean(BufferedImage image, int y) {
        double sum = 0;
        for (int x = 0; x < image.getWidth(); x++) {
            sum += luma(rgbAt(image, x, y));
        }
        return sum / image.getWidth();
    }

    private static int[] rgbAt(BufferedImage image, int x, int y) {
        int p = image.getRGB(x, y);
        return new int[] {(p >> 16) & 0xFF, (p >> 8) & 0xFF, p & 0xFF};
    }

    private static int[] rgb(String hex) {
        int v = Integer.parseInt(hex.substring(1), 16);
        return new int[] {(v >> 16) & 0xFF, (v >> 8) & 0xFF, v & 0xFF};
    }

    private static double luma(int[] c) {
        return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
    }
}
