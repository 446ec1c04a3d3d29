package app.visage.providers.local.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class HeadShotFramerTest {

    private static final Box FACE = new Box(900, 500, 200, 200);

    @Test
    void framesACentredFaceWithHeadroomAndTheOutputsAspect() {
        for (int[] out : new int[][] {{512, 512}, {512, 768}, {300, 400}, {512, 300}}) {
            HeadShotFramer.Crop c = HeadShotFramer.frame(FACE, 2000, 2000, out[0], out[1]);
            assertThat((double) c.width() / c.height()).isCloseTo((double) out[0] / out[1], within(0.01));
            assertThat(c.x() + c.width() / 2.0).isCloseTo(FACE.centerX(), within(1.0));
            assertThat(FACE.y() - c.y()).isCloseTo(HeadShotFramer.HEADROOM * FACE.height(), within(1.0));
            assertThat(FACE.centerY()).isLessThan(c.y() + c.height() / 2.0); // upper half
            assertThat(FACE.width() / c.width())
                    .isBetween(0.15, HeadShotFramer.FACE_WIDTH_SHARE + 0.01); // wide frames: less
            assertThat(FACE.height() / c.height()).isLessThanOrEqualTo(HeadShotFramer.FACE_HEIGHT_SHARE + 0.01);
        }
    }

    @Test
    void staysInsideTheLeftEdgeByShrinkingThenShifting() {
        Box nearLeft = new Box(100, 500, 200, 200);
        HeadShotFramer.Crop c = HeadShotFramer.frame(nearLeft, 2000, 2000, 512, 512);
        assertThat(c.x()).isZero();
        assertThat(c.x() + c.width()).isGreaterThan((int) nearLeft.right());
        HeadShotFramer.Crop nominal = HeadShotFramer.frame(FACE, 2000, 2000, 512, 512);
        assertThat(c.width()).isLessThan(nominal.width()).isGreaterThanOrEqualTo((int)
                (HeadShotFramer.MIN_SHRINK * nominal.width()));
    }

    @Test
    void staysInsideTheTopByShiftingDown() {
        Box nearTop = new Box(900, 20, 200, 200);
        HeadShotFramer.Crop c = HeadShotFramer.frame(nearTop, 2000, 2000, 512, 512);
        assertThat(c.y()).isZero();
        assertThat(c.y() + c.height()).isLessThanOrEqualTo(2000);
    }

    @Test
    void reachesPastTheBottomWhenTheFaceIsLow() {
        Box low = new Box(900, 1700, 200, 200);
        HeadShotFramer.Crop c = HeadShotFramer.frame(low, 2000, 2000, 512, 768);
        assertThat(c.y() + c.height()).isGreaterThan(2000);
        assertThat(c.x()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void shrinksToANarrowPhotosWidth() {
        Box face = new Box(50, 300, 200, 200); // fills most of a 300-wide photo
        HeadShotFramer.Crop c = HeadShotFramer.frame(face, 300, 1000, 512, 512);
        assertThat(c.width()).isEqualTo(300);
        assertThat(c.x()).isZero();
    }

    @Test
    void rendersTheExactSizeAndExtendsBelowThePhotoFromItsBlurredLastRow() {
        // 100x100 grey photo whose last row is black with one white stripe at x 40..59.
        int[] rgb = new int[100 * 100];
        for (int y = 0; y < 100; y++) {
            for (int x = 0; x < 100; x++) {
                rgb[y * 100 + x] = y < 99 ? 0x808080 : (x >= 40 && x < 60 ? 0xFFFFFF : 0);
            }
        }
        Pixels px = new Pixels(rgb, 100, 100);
        BufferedImage out = HeadShotFramer.render(px, new HeadShotFramer.Crop(0, 0, 100, 200), 100, 200);
        assertThat(out.getWidth()).isEqualTo(100);
        assertThat(out.getHeight()).isEqualTo(200);
        assertThat(out.getRGB(25, 10) & 0xFF).isEqualTo(0x80);
        // Just below the edge the stripe is still sharp; far below it is spread out, same mean brightness.
        assertThat(out.getRGB(50, 101) & 0xFF).isGreaterThan(230);
        assertThat(out.getRGB(10, 101) & 0xFF).isLessThan(25);
        int far = 199;
        assertThat(out.getRGB(50, far) & 0xFF).isBetween(40, 120);
        assertThat(out.getRGB(30, far) & 0xFF).isGreaterThan(15);
        assertThat(rowMean(out, far)).isCloseTo(rowMean(out, 101), within(8.0));
    }

    private static double rowMean(BufferedImage image, int y) {
        double sum = 0;
        for (int x = 0; x < image.getWidth(); x++) {
            sum += image.getRGB(x, y) & 0xFF;
        }
        return sum / image.getWidth();
    }

    @Test
    void shrinkingAveragesFineDetailInsteadOfAliasingIt() {
        int n = 800;
        int[] rgb = new int[n * n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                rgb[y * n + x] = ((x + y) & 1) == 0 ? 0xFFFFFF : 0;
            }
        }
        BufferedImage out = Resampler.resize(new Pixels(rgb, n, n), 0, 0, n, n, 90, 90);
        for (int y = 0; y < 90; y++) {
            for (int x = 0; x < 90; x++) {
                assertThat(out.getRGB(x, y) & 0xFF).isBetween(120, 135); // a 1-pixel checkerboard is mid grey
            }
        }
    }

    @Test
    void boxReduceAveragesBlocks() {
        int[] rgb = {0x000000, 0x080808, 0x101010, 0x181818};
        Pixels reduced = Resampler.boxReduce(new Pixels(rgb, 2, 2), 2);
        assertThat(reduced.width()).isEqualTo(1);
        assertThat(reduced.rgb()[0]).isEqualTo(0x0C0C0C);
    }
}
