package app.visage.providers.local.engine;

import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import app.visage.images.ImageHeader;
import app.visage.images.OutputFormat;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * The offline face engine: head-shot framing and face measurements from one photo, with no network.
 * Each call decodes the photo once (no larger than it needs), detects, and encodes at most once. The
 * BlazeFace models load on first use, so constructing an engine is cheap. Thread-safe.
 */
public final class LocalEngine implements AutoCloseable {

    /** Long side detection and colour measurement work at; finer adds time, not accuracy. */
    static final int ANALYSIS_LONG_SIDE = 1024;
    /**
     * A head shot's crop can be as small as ~15-25% of the photo's long side (the smallest faces found), so
     * the photo is decoded at 4x the output's long side or more, which keeps such crops near the output's
     * resolution. For phone photos that means every pixel; only larger photos are subsampled.
     */
    static final int HEAD_SHOT_OVERSAMPLING = 4;
    /**
     * Faces whose box area is at least this share of the largest face's count as a second subject: two
     * people side by side are refused, a far smaller face in the background (a box under half as wide) is
     * ignored.
     */
    static final double SECOND_FACE_AREA_SHARE = 0.25;

    private final ImageDecoder decoder = new ImageDecoder();
    private final ImageEncoder encoder = new ImageEncoder();
    private final Object lock = new Object();
    private volatile BlazeFaceDetector detector;
    private boolean closed;

    public HeadShot headShot(byte[] bytes, ImageHeader header, int width, int height, OutputFormat format) {
        if (width < 1 || height < 1) {
            throw new VisageException(ErrorCode.INVALID_PARAM, "width and height must be positive");
        }
        int longSide = Math.max(ANALYSIS_LONG_SIDE, HEAD_SHOT_OVERSAMPLING * Math.max(width, height));
        Pixels photo = Pixels.of(decoder.decode(bytes, header, longSide));
        Face face = singleFace(detector().detect(photo));
        HeadShotFramer.Crop crop = HeadShotFramer.frame(face.box(), photo.width(), photo.height(), width, height);
        BufferedImage portrait = HeadShotFramer.render(photo, crop, width, height);
        return new HeadShot(encoder.encode(portrait, format), format, width, height);
    }

    public FaceReport faceRecon(byte[] bytes, ImageHeader header) {
        BufferedImage photo = decoder.decode(bytes, header, ANALYSIS_LONG_SIDE);
        Pixels px = Pixels.of(photo);
        Face face = singleFace(detector().detect(px));
        FaceColors.Estimates colors = FaceColors.measure(px, face);
        // Report in the photo's own (upright) pixels, not the reduced decode's.
        Face inPhoto = face.scaled((double) header.displayWidth() / photo.getWidth());
        return new FaceReport(
                inPhoto.box(), inPhoto.score(), FaceReport.Keypoints.of(inPhoto), colors.skin(), colors.hair());
    }

    /** The one face to work on, or FACE_NOT_FOUND / MULTIPLE_FACES. {@code faces} is largest first. */
    static Face singleFace(List<Face> faces) {
        if (faces.isEmpty()) {
            throw new VisageException(ErrorCode.FACE_NOT_FOUND, "no face was found in the photo");
        }
        Face main = faces.get(0);
        for (Face other : faces.subList(1, faces.size())) {
            if (other.box().area() >= SECOND_FACE_AREA_SHARE * main.box().area()) {
                throw new VisageException(
                        ErrorCode.MULTIPLE_FACES, "the photo shows more than one face; send a photo of one person");
            }
        }
        return main;
    }

    /** Whether the models have been loaded yet (they load on the first call that needs them). */
    boolean modelsLoaded() {
        return detector != null;
    }

    private BlazeFaceDetector detector() {
        BlazeFaceDetector d = detector;
        if (d == null) {
            synchronized (lock) {
                if (closed) {
                    throw new IllegalStateException("engine is closed");
                }
                d = detector;
                if (d == null) {
                    d = new BlazeFaceDetector();
                    detector = d;
                }
            }
        }
        return d;
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (detector != null) {
                detector.close();
                detector = null;
            }
        }
    }
}
