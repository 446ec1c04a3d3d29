package app.visage.images;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import app.visage.support.FuzzInput;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Timeout;

/**
 * Every container header reader on the same bytes: a size, or a 422 image_unreadable, and nothing else
 * (no index out of bounds, no overflow, no endless box walk). A zero side (a JPEG frame or WebP header may
 * say 0) is for {@link ImageInspector} to refuse; a negative one never comes. The input is the file itself.
 */
class ContainerHeadersFuzzTest {
    private static final List<Function<byte[], ContainerHeaders.Size>> READERS =
            List.of(ContainerHeaders::jpeg, ContainerHeaders::png, ContainerHeaders::heif, ContainerHeaders::webp);

    @FuzzTest(maxDuration = "8s")
    @Timeout(30)
    void sizeOrUnreadable(byte[] file) {
        for (Function<byte[], ContainerHeaders.Size> reader : READERS) {
            try {
                ContainerHeaders.Size size = reader.apply(file);
                assertThat(size.width()).isNotNegative();
                assertThat(size.height()).isNotNegative();
            } catch (VisageException e) {
                FuzzInput.assertRefusal(e, Set.of(ErrorCode.IMAGE_UNREADABLE));
            }
        }
    }
}
