package app.visage.support;

import io.restassured.path.json.JsonPath;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/**
 * A client's side of {@code POST /v1/uploads}: the photo sent to S3 with the signed form the answer gives, as
 * a browser's {@code FormData} or {@code curl -F} sends it (multipart/form-data, the fields, then the file).
 */
public final class UploadForms {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private UploadForms() {}

    /** Posts {@code photo} with the form; S3 answers 204 when it stored it. */
    public static HttpResponse<String> post(URI url, Map<String, String> fields, byte[] photo) {
        try {
            return HTTP.send(request(url, fields, photo), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("the upload form could not be posted", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Posts {@code photo} with the form of an upload ticket, the 201 answer to {@code POST /v1/uploads}. */
    public static HttpResponse<String> post(JsonPath ticket, byte[] photo) {
        return post(
                URI.create(ticket.getString("upload_url")),
                ticket.getMap("upload_fields", String.class, String.class),
                photo);
    }

    public static HttpRequest request(URI url, Map<String, String> fields, byte[] photo) {
        String boundary = "visage-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream(photo.length + 4096);
        fields.forEach((name, value) -> write(
                body,
                "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value
                        + "\r\n"));
        // S3 reads the fields before the file and ignores any after it.
        write(
                body,
                "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"photo\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n");
        body.writeBytes(photo);
        write(body, "\r\n--" + boundary + "--\r\n");
        return HttpRequest.newBuilder(url)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build();
    }

    private static void write(ByteArrayOutputStream body, String text) {
        body.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}
