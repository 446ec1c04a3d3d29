package app.visage.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Address rules for user-supplied URLs. Literals only, and a resolver that fails the test if it is
 * asked: no lookup and no connection is made; names are answered by a stand-in resolver.
 */
class EgressPolicyTest {
    private static final EgressPolicy.Resolver NO_LOOKUP = host -> {
        throw new AssertionError("looked up " + host);
    };

    private static VisageException refusal(EgressPolicy policy, String url) {
        VisageException refused =
                catchThrowableOfType(VisageException.class, () -> policy.check(URI.create(url), "face_image"));
        assertThat(refused).as(url).isNotNull();
        assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_PARAM);
        assertThat(refused.field()).isEqualTo("face_image");
        return refused;
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://127.0.0.1/a.jpg",
                "https://10.1.2.3/a.jpg",
                "https://172.16.0.1/a.jpg",
                "https://172.31.255.255/a.jpg",
                "https://192.168.1.1/a.jpg",
                "https://169.254.169.254/latest/meta-data",
                "https://100.64.0.1/a.jpg",
                "https://100.127.255.254/a.jpg",
                "https://0.0.0.0/a.jpg",
                "https://0.1.2.3/a.jpg",
                "https://224.0.0.1/a.jpg",
                "https://239.255.255.250/a.jpg",
                "https://255.255.255.255/a.jpg",
                "https://240.0.0.1/a.jpg",
                "https://198.18.0.1/a.jpg",
                "https://192.0.2.1/a.jpg",
                "https://[::1]/a.jpg",
                "https://[::]/a.jpg",
                "https://[0:0:0:0:0:0:0:1]/a.jpg",
                "https://[fd00::1]/a.jpg",
                "https://[fc00::1]/a.jpg",
                "https://[fe80::1]/a.jpg",
                "https://[febf::1]/a.jpg",
                "https://[fec0::1]/a.jpg",
                "https://[ff02::1]/a.jpg",
                "https://[::ffff:127.0.0.1]/a.jpg",
                "https://[::ffff:7f00:1]/a.jpg",
                "https://[::ffff:169.254.169.254]/a.jpg",
                "https://[::ffff:a00:1]/a.jpg",
                "https://[::127.0.0.1]/a.jpg",
                "https://[::8.8.8.8]/a.jpg",
                "https://[64:ff9b::7f00:1]/a.jpg",
                "https://[64:ff9b::a9fe:a9fe]/a.jpg",
                "https://[64:ff9b:1::1]/a.jpg",
                "https://[2002:7f00:1::]/a.jpg",
                "https://[2002:c0a8:101::1]/a.jpg",
                "https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/a.jpg",
                "https://[2001:db8::1]/a.jpg",
                "https://[100::1]/a.jpg",
                "https://localhost/a.jpg",
                "https://api.localhost/a.jpg",
                "http://93.184.215.14/a.jpg",
                "ftp://93.184.215.14/a.jpg",
                "gopher://93.184.215.14:70/_x",
                "https://user:pw@93.184.215.14/a.jpg",
                "https://user@93.184.215.14/a.jpg",
                "file:///etc/passwd",
                "https:93.184.215.14",
                "https:///a.jpg",
                "https://93.184.215.14:0/a.jpg",
                "https://93.184.215.14:99999/a.jpg",
                "https://[fe80::1%25eth0]/a.jpg"
            })
    void refusesWhatIsNotPublicHttps(String url) {
        refusal(new EgressPolicy(NO_LOOKUP, false), url);
    }

    /** Numbers a browser or libc would read as an address; some of them are public, none is plain. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://2130706433/",
                "https://0x7f000001/",
                "https://0X7F000001/",
                "https://127.1/",
                "https://127.0.1/",
                "https://0177.0.0.1/",
                "https://017700000001/",
                "https://127.000.000.001/",
                "https://0x7f.0.0.1/",
                "https://0x7f.1/",
                "https://127.0.0.1./",
                "https://127.0.0.0x1/",
                "https://1.2.3.4.5/",
                "https://256.0.0.1/",
                "https://1572395042/",
                "https://93.184.215.014/",
                "https://%31%32%37.0.0.1/",
                "https://127%2e0%2e0%2e1/",
                "https://0x/",
                "https://a.b.0x1f/"
            })
    void refusesEveryIpv4SpellingButTheCanonicalOneWithoutALookup(String url) {
        refusal(new EgressPolicy(NO_LOOKUP, false), url);
        refusal(new EgressPolicy(NO_LOOKUP, true), url); // local experiments write addresses plainly too
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://93.184.215.14/a.jpg",
                "https://8.8.8.8:8443/a.jpg?x=1",
                "https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/a.jpg",
                "https://[::ffff:93.184.215.14]/a.jpg",
                "https://[64:ff9b::5db8:d70e]/a.jpg",
                "https://[2002:5db8:d70e::1]/a.jpg",
                "HTTPS://93.184.215.14/"
            })
    void allowsPublicHttps(String url) {
        assertThatCode(() -> new EgressPolicy(NO_LOOKUP, false).check(URI.create(url), "face_image"))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080/a.jpg", "https://10.0.0.1/a.jpg", "http://[::1]:8080/a.jpg"})
    void allowPrivateOpensLoopbackAndPlainHttpForLocalExperiments(String url) {
        assertThatCode(() -> new EgressPolicy(NO_LOOKUP, true).check(URI.create(url), "face_image"))
                .doesNotThrowAnyException();
    }

    @Test
    void aNameIsLookedUpOnceAndPinnedToItsFirstAddressWhenEveryAddressIsPublic() throws Exception {
        List<String> asked = new CopyOnWriteArrayList<>();
        EgressPolicy policy = new EgressPolicy(
                host -> {
                    asked.add(host);
                    return new InetAddress[] {
                        address("93.184.215.14"), address("2606:2800:21f:cb07:6820:80da:af6b:8b2c")
                    };
                },
                false);

        Destination to = policy.check(URI.create("https://Photos.Example.test/a.jpg"), "face_image");

        assertThat(asked).containsExactly("photos.example.test");
        assertThat(to.address()).isEqualTo(address("93.184.215.14"));
        assertThat(to.url()).isEqualTo(URI.create("https://Photos.Example.test/a.jpg"));
    }

    @Test
    void oneNonPublicAddressAmongPublicOnesRefusesTheName() {
        EgressPolicy policy = new EgressPolicy(
                host -> new InetAddress[] {address("93.184.215.14"), address("169.254.169.254")}, false);
        assertThat(refusal(policy, "https://metadata.example.test/").getMessage())
                .contains("public address");
    }

    @Test
    void aNameThatDoesNotResolveIsRefused() {
        EgressPolicy policy = new EgressPolicy(
                host -> {
                    throw new UnknownHostException(host);
                },
                false);
        assertThat(refusal(policy, "https://nowhere.example.test/").getMessage())
                .contains("does not resolve");
        assertThat(refusal(new EgressPolicy(host -> new InetAddress[0], false), "https://empty.example.test/")
                        .getMessage())
                .contains("does not resolve");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://under_score.example.test/",
                "https://-lead.example.test/",
                "https://a..b.example.test/",
                "https://example.test./"
            })
    void namesThatAreNotPlainHostNamesAreRefusedWithoutALookup(String url) {
        refusal(new EgressPolicy(NO_LOOKUP, false), url);
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
