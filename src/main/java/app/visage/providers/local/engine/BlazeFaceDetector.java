package app.visage.providers.local.engine;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds faces with MediaPipe's two BlazeFace models through ONNX Runtime.
 *
 * <p>Neither model works alone: the front (selfie) model misses faces under ~15% of the picture's long side,
 * and the back (far-range) model also fires on cats, cups and rockets. So both models only propose: the
 * back model on the whole picture (small faces) and the front model on the whole picture (faces too large
 * for the back model). Every proposal must then be confirmed by the front model on a square crop twice its
 * size, where any face is large again and the front model is at its best. On the test photos confirmed
 * faces score 0.86-0.94 and the best non-face (a cat) 0.56, hence {@link #CONFIRM_SCORE}.
 * Duplicates are merged with MediaPipe's weighted non-maximum suppression.
 *
 * <p>Both sessions are created once and shared; {@link OrtSession#run} is thread-safe, so concurrent
 * {@link #detect} calls need no locking.
 */
public final class BlazeFaceDetector implements AutoCloseable {

    static final String FRONT_MODEL = "models/blazeface/face_detection_front_128x128_barracuda.onnx";
    static final String BACK_MODEL = "models/blazeface/face_detection_back_256x256_barracuda.onnx";

    /** Whole-picture score for a proposal; low, since the confirmation does the rejecting. */
    static final float PROPOSAL_SCORE = 0.5f;
    /** Front-model score on the 2x crop that makes a proposal a face (midway between 0.56 and 0.86). */
    static final float CONFIRM_SCORE = 0.65f;

    static final double NMS_IOU = 0.3;
    /** Photos are reduced towards this long side before detection (see {@link #detect(Pixels)}). */
    static final int WORKING_LONG_SIDE = 1024;
    /** Bounds the front-model runs per picture (each ~2-3 ms). */
    static final int MAX_PROPOSALS = 16;

    private final Model front;
    private final Model back;

    public BlazeFaceDetector() {
        // One process-wide environment; quiet, since the models' unused-initializer warnings are noise.
        OrtEnvironment env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "visage");
        Model f = null;
        try {
            f = new Model(env, FRONT_MODEL, 128);
            back = new Model(env, BACK_MODEL, 256);
            front = f;
        } catch (RuntimeException e) {
            if (f != null) {
                f.close();
            }
            throw e;
        }
    }

    /** Faces in {@code image}'s pixel coordinates, largest first. */
    public List<Face> detect(BufferedImage image) {
        return detect(Pixels.of(image));
    }

    /**
     * Big photos are first box-reduced to a long side of 1024..2047: the models see at most 256 pixels, and
     * even the 2x crops around small faces keep enough detail at that size.
     */
    List<Face> detect(Pixels photo) {
        int factor = Math.max(photo.width(), photo.height()) / WORKING_LONG_SIDE;
        if (factor < 2) {
            return detectAtScale(photo);
        }
        List<Face> faces = detectAtScale(Resampler.boxReduce(photo, factor));
        return faces.stream().map(f -> f.scaled(factor)).toList();
    }

    private List<Face> detectAtScale(Pixels px) {
        double side = Math.max(px.width(), px.height());
        // Pad to a square around the picture (black), as the models were trained on square inputs.
        double x0 = (px.width() - side) / 2;
        double y0 = (px.height() - side) / 2;

        List<Face> proposals = new ArrayList<>();
        proposals.addAll(front.run(px.squareTensor(x0, y0, side, front.size), PROPOSAL_SCORE, x0, y0, side));
        proposals.addAll(back.run(px.squareTensor(x0, y0, side, back.size), PROPOSAL_SCORE, x0, y0, side));
        proposals = weightedNms(proposals);
        List<Face> confirmed = new ArrayList<>();
        for (int i = 0; i < Math.min(MAX_PROPOSALS, proposals.size()); i++) {
            Face c = confirm(px, proposals.get(i));
            if (c != null) {
                confirmed.add(c);
            }
        }
        List<Face> faces = weightedNms(confirmed);
        faces.sort(Comparator.comparingDouble((Face f) -> f.box().area()).reversed());
        return faces;
    }

    /** Re-scores a proposal with the front model on a square crop twice the proposal's size. */
    private Face confirm(Pixels px, Face proposal) {
        Box b = proposal.box();
        double side = 2 * Math.max(b.width(), b.height());
        double x0 = b.centerX() - side / 2;
        double y0 = b.centerY() - side / 2;
        Face best = null;
        for (Face f : weightedNms(front.run(px.squareTensor(x0, y0, side, front.size), CONFIRM_SCORE, x0, y0, side))) {
            boolean samePlace = f.box().centerX() >= b.x()
                    && f.box().centerX() <= b.right()
                    && f.box().centerY() >= b.y()
                    && f.box().centerY() <= b.bottom();
            if (samePlace && (best == null || f.score() > best.score())) {
                best = f;
            }
        }
        return best;
    }

    /**
     * MediaPipe's weighted NMS: the best-scoring detection absorbs every other one overlapping it by more
     * than {@link #NMS_IOU}; the merged box and keypoints are the score-weighted mean, the score the best.
     */
    static List<Face> weightedNms(List<Face> faces) {
        List<Face> remaining = new ArrayList<>(faces);
        remaining.sort(Comparator.comparingDouble((Face f) -> f.score()).reversed());
        List<Face> out = new ArrayList<>();
        while (!remaining.isEmpty()) {
            Face top = remaining.get(0);
            List<Face> cluster = new ArrayList<>();
            List<Face> rest = new ArrayList<>();
            for (Face f : remaining) {
                (f == top || top.box().iou(f.box()) > NMS_IOU ? cluster : rest).add(f);
            }
            double total = 0;
            double x = 0;
            double y = 0;
            double r = 0;
            double bt = 0;
            double[] kp = new double[top.keypoints().size() * 2];
            for (Face f : cluster) {
                double w = f.score();
                total += w;
                x += w * f.box().x();
                y += w * f.box().y();
                r += w * f.box().right();
                bt += w * f.box().bottom();
                for (int k = 0; k < kp.length / 2; k++) {
                    kp[2 * k] += w * f.keypoints().get(k).x();
                    kp[2 * k + 1] += w * f.keypoints().get(k).y();
                }
            }
            List<Point> points = new ArrayList<>(kp.length / 2);
            for (int k = 0; k < kp.length / 2; k++) {
                points.add(new Point(kp[2 * k] / total, kp[2 * k + 1] / total));
            }
            out.add(new Face(new Box(x / total, y / total, (r - x) / total, (bt - y) / total), points, top.score()));
            remaining = rest;
        }
        return out;
    }

    @Override
    public void close() {
        front.close();
        back.close();
    }

    /** One BlazeFace network: its session, input size and the names of its four outputs. */
    private static final class Model implements AutoCloseable {
        private static final int ANCHORS_16 = 16 * 16 * 2;
        private static final int ANCHORS_8 = 8 * 8 * 6;
        private static final double[] ANCHOR_X = new double[ANCHORS_16 + ANCHORS_8];
        private static final double[] ANCHOR_Y = new double[ANCHORS_16 + ANCHORS_8];

        static {
            // MediaPipe's SSD anchors for BlazeFace (both models): a 16x16 grid with 2 anchors per cell,
            // then an 8x8 grid with 6; fixed anchor size 1, so only the centres matter.
            int i = 0;
            for (int[] grid : new int[][] {{16, 2}, {8, 6}}) {
                int n = grid[0];
                for (int y = 0; y < n; y++) {
                    for (int x = 0; x < n; x++) {
                        for (int a = 0; a < grid[1]; a++) {
                            ANCHOR_X[i] = (x + 0.5) / n;
                            ANCHOR_Y[i] = (y + 0.5) / n;
                            i++;
                        }
                    }
                }
            }
        }

        final int size;
        private final OrtEnvironment env;
        private final OrtSession session;
        private final String input;
        private final String scores16;
        private final String scores8;
        private final String boxes16;
        private final String boxes8;

        Model(OrtEnvironment env, String resource, int size) {
            this.size = size;
            this.env = env;
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
                // Idle ORT threads otherwise spin for a while after each run, taking the CPU from the decode
                // and resize work that follows (measured: ~25% slower head shots on 2 cores).
                options.addConfigEntry("session.intra_op.allow_spinning", "0");
                session = env.createSession(load(resource), options);
            } catch (OrtException e) {
                throw new IllegalStateException("cannot load " + resource + ": " + e.getMessage(), e);
            }
            try {
                Map<String, NodeInfo> inputs = session.getInputInfo();
                if (inputs.size() != 1) {
                    throw new IllegalStateException(resource + " should have one input, has " + inputs.keySet());
                }
                input = inputs.keySet().iterator().next();
                long[] shape = ((TensorInfo) inputs.get(input).getInfo()).getShape();
                if (!Arrays.equals(shape, new long[] {1, size, size, 3})) {
                    throw new IllegalStateException(
                            resource + " input is " + Arrays.toString(shape) + ", expected NHWC " + size);
                }
                // Find the outputs by shape, not by name, so a re-export with other names still works.
                Map<String, String> byShape = new HashMap<>();
                for (Map.Entry<String, NodeInfo> e : session.getOutputInfo().entrySet()) {
                    long[] s = ((TensorInfo) e.getValue().getInfo()).getShape();
                    if (s.length == 3 && s[0] == 1) {
                        byShape.put(s[1] + "x" + s[2], e.getKey());
                    }
                }
                String s16 = byShape.get(ANCHORS_16 + "x1");
                String s8 = byShape.get(ANCHORS_8 + "x1");
                String b16 = byShape.get(ANCHORS_16 + "x16");
                String b8 = byShape.get(ANCHORS_8 + "x16");
                if (s16 == null || s8 == null || b16 == null || b8 == null) {
                    throw new IllegalStateException(resource + " outputs are not BlazeFace's: "
                            + session.getOutputInfo().keySet());
                }
                scores16 = s16;
                scores8 = s8;
                boxes16 = b16;
                boxes8 = b8;
            } catch (OrtException | RuntimeException e) {
                closeQuietly();
                throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
            }
        }

        /**
         * Runs the network on a tensor sampled from the square {@code (x0, y0, side)} of the picture and
         * returns the detections scoring at least {@code minScore}, in picture coordinates.
         */
        List<Face> run(float[] tensor, float minScore, double x0, double y0, double side) {
            List<Face> faces = new ArrayList<>();
            try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(tensor), new long[] {1, size, size, 3});
                    OrtSession.Result result = session.run(Map.of(input, in))) {
                decode(result, scores16, boxes16, 0, minScore, x0, y0, side, faces);
                decode(result, scores8, boxes8, ANCHORS_16, minScore, x0, y0, side, faces);
            } catch (OrtException e) {
                throw new IllegalStateException("face detection failed: " + e.getMessage(), e);
            }
            return faces;
        }

        private void decode(
                OrtSession.Result result,
                String scoresName,
                String boxesName,
                int anchorBase,
                float minScore,
                double x0,
                double y0,
                double side,
                List<Face> out)
                throws OrtException {
            float[][] scores =
                    ((float[][][]) result.get(scoresName).orElseThrow().getValue())[0];
            float[][] boxes = ((float[][][]) result.get(boxesName).orElseThrow().getValue())[0];
            for (int i = 0; i < scores.length; i++) {
                // MediaPipe clips logits to +-100 before the sigmoid.
                double logit = Math.max(-100, Math.min(100, scores[i][0]));
                float score = (float) (1 / (1 + Math.exp(-logit)));
                if (score < minScore) {
                    continue;
                }
                double ax = ANCHOR_X[anchorBase + i];
                double ay = ANCHOR_Y[anchorBase + i];
                float[] r = boxes[i];
                // Offsets and sizes are in input pixels relative to the anchor centre.
                double cx = r[0] / size + ax;
                double cy = r[1] / size + ay;
                double w = r[2] / size;
                double h = r[3] / size;
                if (w <= 0 || h <= 0) {
                    continue;
                }
                List<Point> kps = new ArrayList<>(6);
                for (int k = 0; k < 6; k++) {
                    kps.add(new Point(x0 + (r[4 + 2 * k] / size + ax) * side, y0 + (r[5 + 2 * k] / size + ay) * side));
                }
                Box box = new Box(x0 + (cx - w / 2) * side, y0 + (cy - h / 2) * side, w * side, h * side);
                out.add(new Face(box, kps, score));
            }
        }

        private static byte[] load(String resource) {
            try (InputStream in = BlazeFaceDetector.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException(
                            "model " + resource + " is not on the class path (the build fetches it)");
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + resource, e);
            }
        }

        private void closeQuietly() {
            try {
                session.close();
            } catch (OrtException ignored) {
                // closing after a failed check; the original error matters more
            }
        }

        @Override
        public void close() {
            closeQuietly();
        }
    }
}
