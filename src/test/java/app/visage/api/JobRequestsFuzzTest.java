package app.visage.api;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.config.VisageConfig;
import app.visage.egress.EgressPolicy;
import app.visage.egress.OfflineEgress;
import app.visage.egress.PhotoFetcher;
import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import app.visage.images.ImageInspector;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.Tenant;
import app.visage.jobs.usecase.Providers;
import app.visage.jobs.usecase.SubmitCommand;
import app.visage.jobs.usecase.UploadCommand;
import app.visage.providers.fashn.FashnProvider;
import app.visage.providers.local.InProcessEngine;
import app.visage.providers.local.LocalProvider;
import app.visage.providers.metahuman.MetaHumanProvider;
import app.visage.providers.modelslab.ModelsLabEnterprise;
import app.visage.providers.modelslab.ModelsLabFaceGen;
import app.visage.providers.modelslab.ModelsLabShared;
import app.visage.support.FuzzInput;
import app.visage.support.Instances;
import app.visage.support.StandaloneConfig;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;

/**
 * POST /v1/jobs and POST /v1/uploads bodies through {@link JobRequests} built with its real collaborators
 * (the real config mapping, every provider adapter, the header reader) outside CDI: a checked command, or a
 * 4xx refusal, and nothing else. Input lines: "upload" for POST /v1/uploads (anything else: POST /v1/jobs),
 * the Content-Type header (empty: none); then the body, carried as local mode and API Gateway carry it
 * (text for JSON, base64 otherwise).
 *
 * <p>No fuzz input ever reaches the network: face_image URLs go to a fetcher that refuses them without
 * connecting, and the egress rules run with private addresses allowed, which skips their DNS lookups
 * (webhook URLs are only checked, never called, at submit).
 */
class JobRequestsFuzzTest {
    private static final Pattern TEXT =
            Pattern.compile("(text/.*|application/(json|[\\w.+-]*\\+json|x-www-form-urlencoded))?");
    private static final Set<ErrorCode> REFUSALS = Set.of(
            ErrorCode.INVALID_REQUEST,
            ErrorCode.INVALID_PARAM,
            ErrorCode.UNSUPPORTED_MEDIA_TYPE,
            ErrorCode.IMAGE_TOO_LARGE,
            ErrorCode.IMAGE_UNREADABLE);
    private static final JobRequests REQUESTS;
    private static final NoNetworkFetcher FETCHER;

    static {
        Map<String, String> settings = new HashMap<>();
        for (String provider :
                new String[] {"modelslab", "modelslab-enterprise", "modelslab-face-gen", "fashn", "metahuman"}) {
            settings.put("visage.providers." + provider + ".api-key", "fuzz-key");
        }
        settings.put("visage.webhooks.secret", "whsec_ZnV6emluZy1pcy1ub3QtYS1zZWNyZXQ=");
        VisageConfig config = StandaloneConfig.visage(settings);
        Providers providers = new Providers(
                Instances.of(
                        new LocalProvider(Instances.<InProcessEngine>of()),
                        new ModelsLabShared(config),
                        new ModelsLabEnterprise(config),
                        new ModelsLabFaceGen(config),
                        new FashnProvider(config),
                        new MetaHumanProvider(config)),
                config);
        EgressPolicy egress = OfflineEgress.policy();
        FETCHER = new NoNetworkFetcher(egress, config);
        REQUESTS = new JobRequests(providers, new ImageInspector(), FETCHER, egress, config, Clock.systemUTC());
    }

    @FuzzTest(maxDuration = "8s")
    @Timeout(30)
    void commandOrRefusal(byte[] data) {
        FuzzInput in = new FuzzInput(data);
        boolean upload = in.line().equals("upload");
        String contentType = in.lineOrNull();
        byte[] body = in.rest();
        String mediaType =
                contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase();
        boolean text = TEXT.matcher(mediaType).matches();
        Map<String, String> headers = contentType == null ? Map.of() : Map.of("content-type", contentType);
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                .withRouteKey(upload ? "POST /v1/uploads" : "POST /v1/jobs")
                .withHeaders(headers)
                .withBody(
                        body.length == 0
                                ? null
                                : text
                                        ? new String(body, StandardCharsets.UTF_8)
                                        : Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(body.length > 0 && !text)
                .build();
        int fetchesBefore = FETCHER.fetches;
        try {
            if (upload) {
                UploadCommand command = REQUESTS.upload(HttpRequest.of(event), Tenant.ANONYMOUS, JobId.random());
                assertThat(command.format()).isNotNull();
                assertThat(command.provider().operations()).containsKey(command.operation());
            } else {
                SubmitCommand command = REQUESTS.submit(HttpRequest.of(event), Tenant.ANONYMOUS, JobId.random());
                assertThat(command.provider().operations()).containsKey(command.operation());
                assertThat(command.photo().bytes()).isNotEmpty();
                long pixels = (long) command.photo().header().width()
                        * command.photo().header().height();
                assertThat(pixels).isBetween(1L, ImageInspector.MAX_PIXELS);
            }
        } catch (VisageException e) {
            FuzzInput.assertRefusal(e, REFUSALS);
            if (e.field() != null) {
                assertThat(e.field()).isNotBlank();
            }
        }
        assertThat(FETCHER.fetches - fetchesBefore)
                .as("one photo fetched at most")
                .isLessThanOrEqualTo(1);
    }

    /**
     * The real fetcher's URL rules with a resolver that looks nothing up, then the refusal an unreachable URL
     * gets: nothing is resolved or connected.
     */
    static final class NoNetworkFetcher extends PhotoFetcher {
        private final EgressPolicy egress;
        int fetches;

        NoNetworkFetcher(EgressPolicy egress, VisageConfig config) {
            super(egress, null, config);
            this.egress = egress;
        }

        @Override
        public byte[] fetch(URI url, long maxBytes, String field) {
            fetches++;
            egress.check(url, field);
            throw new VisageException(ErrorCode.INVALID_PARAM, field + " could not be fetched", field);
        }
    }
}
