package app.visage.bench;

import app.visage.images.ImageHeader;
import app.visage.images.ImageInspector;
import app.visage.images.OutputFormat;
import app.visage.providers.local.engine.ImageDecoder;
import app.visage.providers.local.engine.LocalEngine;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Section 5, the local engine warm: decode + detect + frame + encode (a 512×512 PNG head shot, the API's
 * default) of 0.3, 2 and 12 megapixel JPEGs, each against the floor of decoding the same JPEG alone at
 * full size. Target: at most 2.0× the decode at 12 MP.
 */
class EngineBench {
    private static final double[] MEGAPIXELS = {0.3, 2, 12};
    private static final int[] WARMUP = {15, 8, 3};
    private static final int[] PAIRS = {60, 30, 12};
    private static final double TARGET = 2.0;

    @Test
    void engineAgainstDecode() {
        ImageInspector inspector = new ImageInspector();
        ImageDecoder decoder = new ImageDecoder();
        Results results = Results.section(5, "Local engine").name("engine");
        Map<String, Object> photos = new LinkedHashMap<>();
        double ratioAt12 = Double.NaN;
        try (LocalEngine engine = new LocalEngine()) {
            for (int s = 0; s < MEGAPIXELS.length; s++) {
                byte[] jpeg = BenchPhotos.megapixels(BenchPhotos.PORTRAIT, MEGAPIXELS[s]);
                ImageHeader header = inspector.inspect(jpeg);
                String key = label(MEGAPIXELS[s]);
                photos.put(key, BenchPhotos.dimensions(jpeg) + ", " + jpeg.length + " bytes");
                Paired.Result r = Paired.run(
                        WARMUP[s],
                        PAIRS[s],
                        i -> engine.headShot(jpeg, header, 512, 512, OutputFormat.PNG),
                        i -> decoder.decode(jpeg, header, Integer.MAX_VALUE));
                results.figure("engine_" + key + "_ms", r.subject())
                        .figure("decode_" + key + "_ms", r.floor())
                        .ratio(key, r.ratio());
                if (MEGAPIXELS[s] == 12) {
                    ratioAt12 = r.ratio().median();
                }
            }
        }
        results.figure("photos", photos)
                .target(String.format(
                        Locale.ROOT, "engine <= %.1fx the full decode at 12 MP (median per-pair ratio)", TARGET))
                .met(ratioAt12 <= TARGET)
                .notes("Warm (warm-up runs first, models loaded), one thread. Engine = LocalEngine.headShot to a "
                        + "512x512 PNG: one decode (subsampled to a long side >= 2048, so every pixel below that), "
                        + "BlazeFace detection on a 256/128 px resample, framing, one resample to the output, one "
                        + "PNG encode. Floor = ImageDecoder.decode of the same bytes at full size. Pairs interleaved.")
                .write();
    }

    static String label(double mp) {
        return (mp == Math.rint(mp) ? String.valueOf((int) mp) : String.valueOf(mp)).replace('.', '_') + "mp";
    }
}
