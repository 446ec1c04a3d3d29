package app.visage.functions;

import app.visage.api.HttpResponses;
import app.visage.api.IdempotentHttp;
import app.visage.api.JobRequests;
import app.visage.api.PreferWait;
import app.visage.auth.Authenticator;
import app.visage.jobs.model.Tenant;
import app.visage.jobs.port.Metrics;
import app.visage.jobs.usecase.AwaitJob;
import app.visage.jobs.usecase.CancelJob;
import app.visage.jobs.usecase.CreateUpload;
import app.visage.jobs.usecase.ReplayWebhook;
import app.visage.jobs.usecase.SubmitJob;
import app.visage.jobs.usecase.TenantQuotas;
import app.visage.jobs.view.JobViews;
import app.visage.json.Json;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.quarkus.funqy.Funq;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;

/** API Gateway: POST /v1/jobs, POST /v1/uploads, POST /v1/jobs/{id}/cancel, POST /v1/jobs/{id}/webhook/retry. */
@ApplicationScoped
public class SubmitFunction {
    private final Authenticator authenticator;
    private final IdempotentHttp idempotent;
    private final JobRequests requests;
    private final JobViews views;
    private final SubmitJob submitJob;
    private final CreateUpload createUpload;
    private final CancelJob cancelJob;
    private final AwaitJob awaitJob;
    private final ReplayWebhook replayWebhook;
    private final TenantQuotas quotas;
    private final Metrics metrics;

    public SubmitFunction(
            Authenticator authenticator,
            IdempotentHttp idempotent,
            JobRequests requests,
            JobViews views,
            SubmitJob submitJob,
            CreateUpload createUpload,
            CancelJob cancelJob,
            AwaitJob awaitJob,
            ReplayWebhook replayWebhook,
            TenantQuotas quotas,
            Metrics metrics) {
        this.metrics = metrics;
        this.authenticator = authenticator;
        this.idempotent = idempotent;
        this.requests = requests;
        this.views = views;
        this.submitJob = submitJob;
        this.createUpload = createUpload;
        this.cancelJob = cancelJob;
        this.awaitJob = awaitJob;
        this.replayWebhook = replayWebhook;
        this.quotas = quotas;
    }

    @Funq("submit")
    public APIGatewayV2HTTPResponse submit(APIGatewayV2HTTPEvent event) {
        metrics.invoked("submit");
        return HttpResponses.serve(event, request -> {
            Tenant tenant = authenticator.authenticate(request);
            return switch (request.route()) {
                case CREATE_JOB -> {
                    long arrived = System.nanoTime();
                    APIGatewayV2HTTPResponse accepted = idempotent.answer(
                            request,
                            tenant,
                            id -> HttpResponses.json(
                                    202,
                                    views.accepted(quotas.admit(
                                            tenant,
                                            id,
                                            () -> submitJob.submit(requests.submit(request, tenant, id))))));
                    yield PreferWait.of(request)
                            .map(seconds -> waited(accepted, tenant, seconds, arrived))
                            .orElse(accepted);
                }
                case CREATE_UPLOAD ->
                    idempotent.answer(
                            request,
                            tenant,
                            id -> HttpResponses.json(
                                    201,
                                    views.uploadTicket(quotas.admit(
                                            tenant,
                                            id,
                                            () -> createUpload.create(requests.upload(request, tenant, id))))));
                case CANCEL_JOB ->
                    HttpResponses.json(200, views.view(cancelJob.cancel(request.pathParameter("id"), tenant)));
                case RETRY_WEBHOOK ->
                    HttpResponses.json(202, views.view(replayWebhook.replay(request.pathParameter("id"), tenant)));
                default -> HttpResponses.notServedHere(request);
            };
        });
    }

    /**
     * {@code Prefer: wait}: the job's full view (200) if it ends within the seconds asked, counted from the request's
     * arrival, else the 202 as it was (the one an Idempotency-Key keeps: a view's links would go stale).
     */
    private APIGatewayV2HTTPResponse waited(
            APIGatewayV2HTTPResponse accepted, Tenant tenant, int seconds, long arrived) {
        if (accepted.getStatusCode() != 202) {
            return accepted;
        }
        String id;
        try {
            id = Json.MAPPER.readTree(accepted.getBody()).path("id").asText();
        } catch (IOException e) {
            throw new UncheckedIOException("our own 202 is not JSON", e);
        }
        return PreferWait.applied(
                awaitJob.awaitEnd(id, tenant, arrived + seconds * 1_000_000_000L)
                        .map(ended -> HttpResponses.json(200, views.view(ended)))
                        .orElse(accepted),
                seconds);
    }
}
