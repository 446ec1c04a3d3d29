package app.visage.storage;

import app.visage.json.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An S3 browser-upload form (POST Object) signed with a SigV4 POST policy, which the AWS SDK does not make. Unlike a
 * presigned PUT, the policy's {@code content-length-range} makes S3 itself refuse a larger file (400
 * EntityTooLarge), and every field the form sends must be one the policy names.
 *
 * @see <a href="https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html">POST policy</a>
 */
public record PostPolicy(
        String bucket, String key, String contentType, long maxBytes, Instant signedAt, Instant expiresAt) {
    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter EXPIRATION =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    public PostPolicy {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes " + maxBytes);
        }
        if (!expiresAt.isAfter(signedAt)) {
            throw new IllegalArgumentException("the policy expires before it is signed");
        }
    }

    /**
     * The form's fields, in the order to send them, before the file (which goes last, as the field {@code file}).
     * {@code sessionToken} is null for long-term keys; a Lambda role's keys always have one.
     */
    public Map<String, String> fields(String region, String accessKeyId, String secretKey, String sessionToken) {
        String amzDate = AMZ_DATE.format(signedAt);
        String day = amzDate.substring(0, 8);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("key", key);
        fields.put("Content-Type", contentType);
        fields.put("x-amz-algorithm", ALGORITHM);
        fields.put("x-amz-credential", accessKeyId + "/" + day + "/" + region + "/s3/aws4_request");
        fields.put("x-amz-date", amzDate);
        if (sessionToken != null) {
            fields.put("x-amz-security-token", sessionToken);
        }
        String policy = Base64.getEncoder().encodeToString(document(fields));
        fields.put("policy", policy);
        fields.put("x-amz-signature", signature(policy, secretKey, day, region));
        return fields;
    }

    /** The policy: this bucket, exactly these fields, 1 to {@code maxBytes} bytes, until {@code expiresAt}. */
    private byte[] document(Map<String, String> fields) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("expiration", EXPIRATION.format(expiresAt));
        ArrayNode conditions = root.putArray("conditions");
        conditions.addObject().put("bucket", bucket);
        fields.forEach((name, value) -> conditions.addObject().put(name, value));
        conditions.addArray().add("content-length-range").add(1).add(maxBytes);
        return Json.write(root);
    }

    /** SigV4 for a POST: the string to sign is the Base64 policy itself, the key the usual derived one. */
    static String signature(String base64Policy, String secretKey, String day, String region) {
        byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), day);
        key = hmac(key, region);
        key = hmac(key, "s3");
        key = hmac(key, "aws4_request");
        return HexFormat.of().formatHex(hmac(key, base64Policy));
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
