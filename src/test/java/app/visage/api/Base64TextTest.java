package app.visage.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Base64TextTest {
    private final Random random = new Random(42);

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    @Test
    void decodesPlainBase64OfEveryLengthAndAcrossChunks() {
        for (int n : new int[] {0, 1, 2, 3, 4, 5, 100, 49_151, 49_152, 49_153, 200_001}) {
            byte[] original = bytes(n);
            String encoded = "xx" + Base64.getEncoder().encodeToString(original) + "yy";
            assertThat(Base64Text.decode(encoded, 2, encoded.length() - 2))
                    .as("%d bytes", n)
                    .isEqualTo(original);
            String unpadded = Base64.getEncoder().withoutPadding().encodeToString(original);
            assertThat(Base64Text.decode(unpadded, 0, unpadded.length()))
                    .as("%d bytes unpadded", n)
                    .isEqualTo(original);
        }
    }

    @Test
    void textThatIsNotPlainBase64IsDecodedAsMimeDecodesIt() {
        byte[] original = bytes(100_000);
        String lines = Base64.getMimeEncoder().encodeToString(original);
        assertThat(Base64Text.decodePlain(lines, 0, lines.length())).isNull();
        assertThat(Base64Text.decode(lines, 0, lines.length())).isEqualTo(original);
    }

    @Test
    void invalidBase64IsRefused() {
        assertThatThrownBy(() -> Base64Text.decode("QUJD=A==", 0, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Base64Text.decode("QUJDR", 0, 5)).isInstanceOf(IllegalArgumentException.class);
    }
}
