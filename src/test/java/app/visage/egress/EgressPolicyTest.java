package app.visage.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Address rules for user-supplied URLs; IP literals only, so no lookup and no connection is made. */
class EgressPolicyTest {

    @ParameterizedTest
    @ValueSource(strings = {"https://127.0.0.1/a.jpg", "https://10.1.2.3/a.jpg", "https://172.16.0.1/a.jpg",
            "https://192.168.1.1/a.jpg", "https://169.254.169.254/latest/meta-data", "https://100.64.0.1/a.jpg",
            "https://0.0.0.0/a.jpg", "https://224.0.0.1/a.jpg", "https://[::1]/a.jpg", "https://[fd00::1]/a.jpg",
            "https://[fe80::1]/a.jpg", "https://localhost/a.jpg", "http://93.184.215.14/a.jpg",
            "ftp://93.184.215.14/a.jpg", "https://user:pw@93.184.215.14/a.jpg", "file:///etc/passwd"})
    void refusesWhatIsNotPublicHttps(String url) {
        VisageException refused = catchThrowableOfType(VisageException.class,
                () -> PhotoFetcher.EgressPolicy.check(URI.create(url), false, "face_image"));
        assertThat(refused).isNotNull();
        assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_PARAM);
        assertThat(refused.field()).isEqualTo("face_image");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://93.184.215.14/a.jpg", "https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/a.jpg"})
    void allowsPublicHttps(String url) {
        assertThatCode(() -> PhotoFetcher.EgressPolicy.check(URI.create(url), false, "face_image"))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080/a.jpg", "https://10.0.0.1/a.jpg"})
    void allowPrivateOpensLoopbackAndPlainHttpForLocalExperiments(String url) {
        assertThatCode(() -> PhotoFetcher.EgressPolicy.check(URI.create(url), true, "face_image"))
                .doesNotThrowAnyException();
    }
}
