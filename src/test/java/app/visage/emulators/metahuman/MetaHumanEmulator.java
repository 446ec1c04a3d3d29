package app.visage.emulators.metahuman;

import app.visage.emulators.EmulatorServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * MetaHuman SDK's 3D face reconstruction (research/providers.md §3): one synchronous
 * {@code POST /face_recon/run_pipeline}, multipart fields {@code token} and {@code image_bytes} (a file part);
 * errors are 422 {@code {"error":{"code","message"}}}; the UV texture is served on the API's own host at the
 * relative {@code /static/<upload's name>_texture.png} path the result names (the page's example,
 * {@code /static/input_image_texture.png}, reads as derived from an upload named {@code input_image.*}), so two
 * uploads of the same name share one texture, the later overwriting it. Where its pages disagree it takes only
 * what both allow: JPEG, PNG or HEIC (the errors page also names bmp and webp) under 10,000,000 bytes ("Maximum
 * file size: 10 MB" and "file must be less than 10mb").
 */
public final class MetaHumanEmulator extends EmulatorServer {
    private static final String PIPELINE = "/face_recon/run_pipeline";
    /** "less than 10mb", read as the smaller megabyte: both pages allow every size below it. */
    private static final int MAX_IMAGE_BYTES = 10_000_000;

    private static final int TEXTURE_SIZE = 512;
    private static final Map<Integer, String> MESSAGES = Map.of(
            0,
            "unregistered token",
            1,
            "fail authorization",
            3,
            "file must be less than 10mb",
            4,
            "face not found",
            5,
            "file corrupted",
            6,
            "empty input image");
    /** The ISO-BMFF {@code ftyp} box and major brand HEIC files start with (after the 4-byte box size). */
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private static final Set<String> HEIC_BRANDS = Set.of("ftypheic", "ftypheix", "ftypmif1");

    private static final Pattern BOUNDARY =
            Pattern.compile("(?i)^\\s*multipart/form-data\\s*;.*?boundary=(?:\"([^\"]+)\"|([^;\\s]+))");
    private static final Pattern NAME = Pattern.compile("(?i)(?:^|;)\\s*name=\"([^\"]*)\"");
    private static final Pattern FILENAME = Pattern.compile("(?i)(?:^|;)\\s*filename=\"([^\"]*)\"");
    /** An upload's name as a texture's: its last path segment without the extension, in URL-safe characters. */
    private static final Pattern STEM = Pattern.compile("(?:.*[/\\\\])?([A-Za-z0-9_-]+)(?:\\.[A-Za-z0-9]+)?");

    private final String token;
    private final Queue<Script> scripts = new ConcurrentLinkedQueue<>();
    private volatile JsonNode lastResult;

    public MetaHumanEmulator(String token) {
        this.token = token;
    }

    /** Queues what a later pipeline call does, first in first out; unscripted calls are normal. */
    public void nextCall(Script script) {
        scripts.add(script);
    }

    @Override
    public void resetScripts() {
        scripts.clear();
    }

    public List<Recorded> pipelineCalls() {
        return requests(PIPELINE);
    }

    /** The body of the last successful pipeline call; null before one. */
    public JsonNode lastResult() {
        return lastResult;
    }

    /** The PNG served at the {@code textureUrl} of a success body. */
    public byte[] textureOf(JsonNode result) {
        return file(result.at("/result/face/textureUrl").asText());
    }

    /** One part of a {@code multipart/form-data} body; {@code filename} and {@code contentType} may be null. */
    public record Part(String name, String filename, String contentType, byte[] content) {}

    /** The parts of a recorded multipart call by field name; throws IllegalArgumentException when malformed. */
    public static Map<String, Part> formParts(Recorded call) {
        Matcher type = BOUNDARY.matcher(Objects.requireNonNullElse(call.header("Content-Type"), ""));
        if (!type.find()) {
            throw new IllegalArgumentException("not multipart/form-data with a boundary");
        }
        byte[] delimiter =
                ("--" + (type.group(1) != null ? type.group(1) : type.group(2))).getBytes(StandardCharsets.ISO_8859_1);
        byte[] body = call.body();
        Map<String, Part> parts = new LinkedHashMap<>();
        int at = indexOf(body, delimiter, 0);
        while (at >= 0) {
            int after = at + delimiter.length;
            if (startsWith(body, after, "--")) {
                return parts;
            }
            int headersEnd = indexOf(body, bytes("\r\n\r\n"), after);
            if (!startsWith(body, after, "\r\n") || headersEnd < 0) {
                throw new IllegalArgumentException("malformed part headers");
            }
            // A part's content runs to the CRLF that precedes the next delimiter; it may hold any bytes but that.
            int next = indexOf(body, concat(bytes("\r\n"), delimiter), headersEnd + 4);
            if (next < 0) {
                break;
            }
            Part part = part(
                    new String(body, after + 2, headersEnd - after - 2, StandardCharsets.UTF_8),
                    Arrays.copyOfRange(body, headersEnd + 4, next));
            parts.put(part.name(), part);
            at = next + 2;
        }
        throw new IllegalArgumentException("multipart body has no closing delimiter");
    }

    /** The contents of a recorded multipart call's fields by name. */
    public static Map<String, byte[]> formFields(Recorded call) {
        Map<String, byte[]> fields = new LinkedHashMap<>();
        formParts(call).forEach((name, part) -> fields.put(name, part.content()));
        return fields;
    }

    @Override
    protected void handle(Recorded request, HttpExchange exchange) throws IOException {
        if (!request.method().equals("POST") || !request.path().equals(PIPELINE)) {
            respond(exchange, 404, JSON.createObjectNode().put("detail", "Not Found"));
            return;
        }
        Script script = Objects.requireNonNullElse(scripts.poll(), Script.normal());
        try {
            Thread.sleep(script.delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (script.status != 0) {
            respond(exchange, script.status, "text/plain", bytes("Server Error"));
        } else if (script.code >= 0) {
            fail(exchange, script.code);
        } else {
            run(request, exchange, script);
        }
    }

    private void run(Recorded request, HttpExchange exchange, Script script) throws IOException {
        Map<String, Part> parts;
        try {
            parts = formParts(request);
        } catch (IllegalArgumentException e) {
            parts = Map.of();
        }
        Part image = parts.get("image_bytes");
        Part sentToken = parts.get("token");
        if (image == null || image.filename() == null) {
            // Undocumented: a body without the file (a part with a file name) gets the FastAPI-style answer.
            missing(exchange, "image_bytes");
        } else if (sentToken == null || sentToken.content().length == 0) {
            fail(exchange, 1);
        } else if (!new String(sentToken.content(), StandardCharsets.UTF_8).equals(token)) {
            fail(exchange, 0);
        } else if (image.content().length >= MAX_IMAGE_BYTES) {
            fail(exchange, 3);
        } else if (image.content().length == 0) {
            fail(exchange, 6);
        } else if (!heic(image.content()) && !(jpegOrPng(image.content()) && decodes(image.content()))) {
            fail(exchange, 5);
        } else {
            Matcher stem = STEM.matcher(image.filename());
            String name = stem.matches() ? stem.group(1) : randomName();
            ObjectNode answer = reconstruct(image.content(), name);
            script.answer.accept(answer);
            lastResult = answer;
            if (script.garbled) {
                respondGarbled(exchange, 200, answer);
            } else {
                respond(exchange, 200, answer);
            }
        }
    }

    /** A result made from the photo: the same bytes always give the same coefficients and colours. */
    private ObjectNode reconstruct(byte[] image, String name) throws IOException {
        Random random = new Random(ByteBuffer.wrap(sha256(image)).getLong());
        Color skin = new Color(150 + random.nextInt(80), 90 + random.nextInt(60), 70 + random.nextInt(50));
        // HEIC is documented as accepted but ImageIO can't decode it, so its texture is plain skin colour.
        byte[] texture = heic(image) ? plain(skin) : render(image, TEXTURE_SIZE, TEXTURE_SIZE, "png");
        String textureUrl = "/static/" + name + "_texture.png";
        publish(textureUrl, texture);

        ObjectNode body = JSON.createObjectNode();
        ObjectNode result = body.putObject("result");
        ObjectNode face = result.putObject("face").put("textureUrl", textureUrl);
        ArrayNode shapes = face.putArray("blendShapes");
        for (int i = 0; i < 80; i++) {
            shapes.add(random.nextGaussian());
        }
        face.put("blinkCorrectionCoeff", 0.9 + 0.2 * random.nextDouble());
        Color hair = new Color(random.nextInt(0x60), random.nextInt(0x40), random.nextInt(0x40));
        result.putObject("hair").put("color", hex(hair)).put("type", "long_straight");
        result.putObject("skin").put("color", hex(skin));
        result.putArray("accessories");
        result.put("gender", "Female");
        return body;
    }

    private static void missing(HttpExchange exchange, String field) throws IOException {
        ObjectNode detail = JSON.createObjectNode();
        detail.putArray("detail")
                .addObject()
                .put("msg", "field required")
                .put("type", "value_error.missing")
                .putArray("loc")
                .add("body")
                .add(field);
        respond(exchange, 422, detail);
    }

    private static void fail(HttpExchange exchange, int code) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("code", code).put("message", MESSAGES.get(code));
        respond(exchange, 422, body);
    }

    private static Part part(String headers, byte[] content) {
        String disposition = null;
        String contentType = null;
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            String name = colon < 0 ? "" : line.substring(0, colon).trim();
            if (name.equalsIgnoreCase("Content-Disposition")) {
                disposition = line.substring(colon + 1).trim();
            } else if (name.equalsIgnoreCase("Content-Type")) {
                contentType = line.substring(colon + 1).trim();
            }
        }
        Matcher name = NAME.matcher(Objects.requireNonNullElse(disposition, ""));
        if (disposition == null || !disposition.regionMatches(true, 0, "form-data", 0, 9) || !name.find()) {
            throw new IllegalArgumentException("part without a form-data name");
        }
        Matcher filename = FILENAME.matcher(disposition);
        return new Part(name.group(1), filename.find() ? filename.group(1) : null, contentType, content);
    }

    /** JPEG (FF D8 FF) or PNG by its signature: a BMP or WebP that ImageIO would decode is not listed. */
    private static boolean jpegOrPng(byte[] image) {
        return (image.length > 3 && (image[0] & 0xff) == 0xff && (image[1] & 0xff) == 0xd8 && (image[2] & 0xff) == 0xff)
                || (image.length > 8 && Arrays.equals(image, 0, 8, PNG_SIGNATURE, 0, 8));
    }

    private static boolean heic(byte[] image) {
        return image.length >= 12 && HEIC_BRANDS.contains(new String(image, 4, 8, StandardCharsets.ISO_8859_1));
    }

    private static byte[] plain(Color color) throws IOException {
        BufferedImage image = new BufferedImage(TEXTURE_SIZE, TEXTURE_SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, TEXTURE_SIZE, TEXTURE_SIZE);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static String hex(Color color) {
        return String.format("#%06x", color.getRGB() & 0xFFFFFF);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static boolean startsWith(byte[] body, int at, String prefix) {
        byte[] p = bytes(prefix);
        return at + p.length <= body.length && Arrays.equals(body, at, at + p.length, p, 0, p.length);
    }

    private static int indexOf(byte[] body, byte[] needle, int from) {
        for (int i = from; i + needle.length <= body.length; i++) {
            if (Arrays.equals(body, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    /** What one pipeline call does. */
    public static final class Script {
        private final Duration delay;
        private final int code;
        private final int status;
        private final boolean garbled;
        /** Changes a success's body before it is answered (a fault the page does not allow). */
        private final Consumer<ObjectNode> answer;

        private Script(Duration delay, int code, int status, boolean garbled, Consumer<ObjectNode> answer) {
            this.delay = delay;
            this.code = code;
            this.status = status;
            this.garbled = garbled;
            this.answer = answer;
        }

        private static Script answering(Consumer<ObjectNode> answer) {
            return new Script(Duration.ZERO, -1, 0, false, answer);
        }

        public static Script normal() {
            return answering(a -> {});
        }

        /** 422 with the documented message for {@code code}: 0, 1, 3, 4, 5 or 6. */
        public static Script failWith(int code) {
            if (!MESSAGES.containsKey(code)) {
                throw new IllegalArgumentException("no documented error code " + code);
            }
            return new Script(Duration.ZERO, code, 0, false, a -> {});
        }

        /** {@code status} with a plain-text body, as a failing proxy or server would answer. */
        public static Script serverError(int status) {
            return new Script(Duration.ZERO, -1, status, false, a -> {});
        }

        /**
         * Reconstructs as usual (the texture is published, and charged for), but the answer's body arrives
         * cut off (see {@link #respondGarbled}).
         */
        public static Script garbledAnswer() {
            return new Script(Duration.ZERO, -1, 0, true, a -> {});
        }

        /** Answers normally, {@code delay} late. */
        public static Script slow(Duration delay) {
            return new Script(delay, -1, 0, false, a -> {});
        }

        /** A 200 whose {@code blendShapes} holds 79 numbers, not the page's 80. */
        public static Script shortBlendShapes() {
            return answering(a -> ((ArrayNode) a.at("/result/face/blendShapes")).remove(79));
        }

        /** A 200 whose {@code face} names no {@code textureUrl}. */
        public static Script noTexture() {
            return answering(a -> ((ObjectNode) a.at("/result/face")).remove("textureUrl"));
        }

        /** A 200 of {@code {"result":{}}}. */
        public static Script emptyResult() {
            return answering(a -> a.putObject("result"));
        }
    }
}
