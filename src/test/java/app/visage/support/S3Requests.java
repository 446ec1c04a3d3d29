package app.visage.support;

import app.visage.local.LocalS3;
import app.visage.local.s3.EmbeddedS3;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The requests the embedded S3 receives, by type as S3 prices them: {@code LIST} (a GET of the bucket),
 * {@code COPY} (a PUT copying an object), {@code POST_OBJECT} (a client's upload form, priced as a PUT), else
 * the HTTP method ({@code POST} is DeleteObjects, the only POST Visage itself makes). Only what reaches the
 * server counts, so SDK retries count too, as S3 would bill them.
 */
public final class S3Requests {
    /** One request: its type and its path ({@code /bucket/key}, never the query with its signature). */
    public record Request(String type, String path) {
        @Override
        public String toString() {
            return type + " " + path;
        }
    }

    private final List<Request> received = new CopyOnWriteArrayList<>();

    /** Records every request {@code s3} receives from now on (in place of whoever recorded before). */
    public S3Requests(LocalS3 s3) {
        s3.onRequest(r -> received.add(new Request(type(r), r.path())));
    }

    /** The requests received while {@code call} ran (the embedded S3 sees each before it answers it). */
    public List<Request> during(Runnable call) {
        int from = received.size();
        call.run();
        return new ArrayList<>(received.subList(from, received.size()));
    }

    private static String type(EmbeddedS3.Request request) {
        return request.kind().equals("OBJECT") ? request.method() : request.kind();
    }
}
