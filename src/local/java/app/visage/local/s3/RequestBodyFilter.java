package app.visage.local.s3;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.Consumer;

/**
 * Makes sure every request body is read to its end before S3Proxy's response goes out, so
 * keep-alive connections stay usable and early errors (412, 403, ...) reach the client.
 *
 * <p>The AWS SDK's URL-connection client sends {@code Expect: 100-continue} and an
 * {@code aws-chunked} body with every PutObject. S3Proxy 4.1 leaves part of such bodies unread:
 * <ul>
 *   <li>always the last chunk and the trailer (about 200 bytes), even on success;
 *   <li>all of it when it answers before reading, e.g. its {@code If-Match} check (a HEAD in
 *       {@code handlePutBlob}) or {@link KeyLockingBlobStore}'s, or a bad signature.
 * </ul>
 * Jetty then closes the connection. Mid-upload, the client sees a broken pipe instead of the
 * error; after a success, the client has already pooled the connection and its next PUT fails
 * with "Error writing request body to server" (plain S3Proxy: about half of put/put/get rounds).
 *
 * <p>S3Proxy's servlet closes the request stream right after handling, before it writes an error
 * response, so the stream handed to it here reads the rest of the body on {@code close()}. This
 * also matches S3, which evaluates conditional writes on the complete upload.
 */
final class RequestBodyFilter implements Filter {
    /**
     * S3Proxy holds a whole POST form in memory (the file twice, as bytes and as a string) before it
     * checks the policy's size range, so a larger form is refused here, unread, as S3 refuses a file
     * over the range. Far above any form Visage signs (a photo of at most 10 MB by default).
     */
    static final long MAX_FORM_BYTES = 64L << 20;

    /** Whether this thread is handling a POST Object, so the object it writes is reported as such. */
    private static final ThreadLocal<Boolean> FORM_POST = ThreadLocal.withInitial(() -> false);

    private final Consumer<EmbeddedS3.Request> observer;

    RequestBodyFilter(Consumer<EmbeddedS3.Request> observer) {
        this.observer = observer;
    }

    static boolean isFormPost() {
        return FORM_POST.get();
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest http) {
            EmbeddedS3.Request described = describe(http);
            observer.accept(described);
            boolean formPost = described.kind().equals("POST_OBJECT");
            if (formPost && refusedForm(http, (HttpServletResponse) response)) {
                return;
            }
            FORM_POST.set(formPost);
            try {
                chain.doFilter(new BodyRequest(http, http.getInputStream()), response);
            } finally {
                FORM_POST.remove();
            }
        } else {
            chain.doFilter(request, response);
        }
    }

    /** S3's answers to a form without a length and to one too large, sent before the body is read. */
    private static boolean refusedForm(HttpServletRequest http, HttpServletResponse response) throws IOException {
        long length = http.getContentLengthLong();
        if (length < 0) {
            error(response, 411, "MissingContentLength", "You must provide the Content-Length HTTP header.");
            return true;
        }
        if (length > MAX_FORM_BYTES) {
            error(response, 400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size");
            return true;
        }
        return false;
    }

    private static void error(HttpServletResponse response, int status, String code, String message)
            throws IOException {
        response.setStatus(status);
        response.setContentType("application/xml");
        // Jetty closes the connection afterwards: the body it would otherwise have to read is left unread.
        response.setHeader("Connection", "close");
        response.getWriter()
                .write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" + message
                        + "</Message></Error>");
    }

    /**
     * Path-style: {@code /bucket} or {@code /bucket/} alone is the bucket (a GET there lists it, a
     * POST there is a browser-upload form).
     */
    private static EmbeddedS3.Request describe(HttpServletRequest http) {
        String path = http.getRequestURI();
        String rest = path.startsWith("/") ? path.substring(1) : path;
        int slash = rest.indexOf('/');
        boolean bucketOnly = slash < 0 || slash == rest.length() - 1;
        String method = http.getMethod();
        String kind;
        if (bucketOnly && method.equals("GET")) {
            kind = "LIST";
        } else if (bucketOnly && method.equals("POST") && http.getQueryString() == null) {
            kind = "POST_OBJECT";
        } else if (method.equals("PUT") && http.getHeader("x-amz-copy-source") != null) {
            kind = "COPY";
        } else {
            kind = "OBJECT";
        }
        return new EmbeddedS3.Request(method, kind, path);
    }

    private static final class BodyRequest extends HttpServletRequestWrapper {
        private final ServletInputStream stream;

        BodyRequest(HttpServletRequest request, InputStream body) {
            super(request);
            this.stream = new DrainingInputStream(body);
        }

        @Override
        public ServletInputStream getInputStream() {
            return stream;
        }
    }

    private static final class DrainingInputStream extends ServletInputStream {
        private final InputStream in;
        private boolean finished;

        DrainingInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            finished = b < 0;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            finished = n < 0;
            return n;
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        /** Reads what S3Proxy left unread, so Jetty can keep the connection alive. */
        @Override
        public void close() {
            if (!finished) {
                finished = true;
                try {
                    in.transferTo(OutputStream.nullOutputStream());
                } catch (IOException e) {
                    // The client went away; Jetty drops the connection, nothing left to keep.
                }
            }
        }

        @Override
        public boolean isFinished() {
            return finished;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            throw new UnsupportedOperationException("S3Proxy reads blocking");
        }
    }
}
