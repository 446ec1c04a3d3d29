package app.visage.providers.local.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaceColorsTest {

    @Test
    void tellsGrayscalePhotosFromColourOnes() {
        assertThat(FaceColors.grayscale(BlazeFaceDetectorTest.decodedPixels("camera.jpg")))
                .isTrue();
        assertThat(FaceColors.grayscale(BlazeFaceDetectorTest.decodedPixels("astronaut.jpg")))
                .isFalse();
        assertThat(FaceColors.grayscale(BlazeFaceDetectorTest.decodedPixels("grace_hopper.jpg")))
                .isFalse();
    }

    @Test
    void skinChromaCoversLightToDarkSkinAndNotOtherColours() {
        int[][] skins = {{255, 219, 172}, {224, 172, 105}, {198, 134, 66}, {141, 85, 36}, {89, 47, 42}, {201, 162, 136}
        };
        for (int[] s : skins) {
            assertThat(FaceColors.skinPlausibility(s))
                    .as("%d,%d,%d", s[0], s[1], s[2])
                    .isGreaterThan(0.7);
        }
        assertThat(FaceColors.skinPlausibility(new int[] {50, 80, 200})).isZero(); // blue
        assertThat(FaceColors.skinPlausibility(new int[] {60, 180, 70})).isZero(); // green
    }

    @Test
    void hairLikeAcceptsNaturalHairColoursOnly() {
        int[][] hair = {{20, 18, 16}, {118, 98, 59}, {220, 190, 120}, {160, 60, 30}, {180, 180, 180}, {245, 245, 240}};
        for (int[] h : hair) {
            assertThat(FaceColors.hairLike(h)).as("%d,%d,%d", h[0], h[1], h[2]).isTrue();
        }
        assertThat(FaceColors.hairLike(new int[] {40, 80, 220})).isFalse(); // saturated blue: a cap, not hair
        assertThat(FaceColors.hairLike(new int[] {40, 160, 60})).isFalse();
    }

    @Test
    void robustColourIgnoresOutliersAndScoresUniformity() {
        List<int[]> pixels = new ArrayList<>();
        for (int i = 0; i < 90; i++) {
            pixels.add(new int[] {200 + i % 3, 150, 120});
        }
        for (int i = 0; i < 10; i++) {
            pixels.add(new int[] {10, 10, 200}); // a blue badge
        }
        FaceColors.Robust r = FaceColors.robust(pixels);
        assertThat(r.color()[0]).isBetween(200, 202);
        assertThat(r.color()[2]).isEqualTo(120);
        assertThat(r.uniformity()).isCloseTo(0.9, org.assertj.core.api.Assertions.within(0.01));
        assertThat(FaceColors.robust(List.of(new int[] {1, 2, 3}))).isNull(); // too few pixels to tell
    }
}
