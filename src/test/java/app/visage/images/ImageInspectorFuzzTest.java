package app.visage.images;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import app.visage.support.FuzzInput;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Set;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ImageInspector#inspect}, which every photo goes through before it is stored: a header within the
 * limits, or a 415/422/413 refusal, and nothing else. The input is the file itself.
 */
class ImageInspectorFuzzTest {
    private static final ImageInspector INSPECTOR = new ImageInspector();

    @FuzzTest(maxDuration = "8s")
    @Timeout(30)
    void headerOrRefusal(byte[] file) {
        try {
            ImageHeader header = INSPECTOR.inspect(file);
            assertThat(ImageFormat.sniff(file)).contains(header.format());
            assertThat(header.width()).isPositive();
            assertThat(header.height()).isPositive();
            assertThat((long) header.width() * header.height()).isLessThanOrEqualTo(ImageInspector.MAX_PIXELS);
            assertThat(header.orientation()).isBetween(1, 8);
        } catch (VisageException e) {
            FuzzInput.assertRefusal(
                    e, Set.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE, ErrorCode.IMAGE_UNREADABLE, ErrorCode.IMAGE_TOO_LARGE));
        }
    }
}
