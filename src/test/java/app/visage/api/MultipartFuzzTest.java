package app.visage.api;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import app.visage.support.FuzzInput;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Multipart#parse}: named parts cut from the body, or a 400 invalid_request, and nothing else.
 * Input: the Content-Type header on the first line, then the body.
 */
class MultipartFuzzTest {

    @FuzzTest(maxDuration = "8s")
    @Timeout(30)
    void partsOrInvalidRequest(byte[] data) {
        FuzzInput in = new FuzzInput(data);
        String contentType = in.line();
        byte[] body = in.rest();
        Map<String, Multipart.Part> parts;
        try {
            parts = Multipart.parse(contentType, body);
        } catch (VisageException e) {
            FuzzInput.assertRefusal(e, Set.of(ErrorCode.INVALID_REQUEST));
            return;
        }
        long total = 0;
        for (Map.Entry<String, Multipart.Part> part : parts.entrySet()) {
            assertThat(part.getValue().name()).isEqualTo(part.getKey());
            total += part.getValue().body().length;
        }
        assertThat(total).isLessThanOrEqualTo(body.length);
    }
}
