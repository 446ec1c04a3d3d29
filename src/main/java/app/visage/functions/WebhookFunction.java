package app.visage.functions;

import app.visage.api.HttpResponses;
import app.visage.api.Route;
import app.visage.jobs.model.Job;
import app.visage.jobs.port.Metrics;
import app.visage.jobs.usecase.ReceiveProviderWebhook;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.quarkus.funqy.Funq;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/** API Gateway: POST /v1/provider-webhooks/{provider}/{jobId}?token=…. */
@ApplicationScoped
public class WebhookFunction {
    private final ReceiveProviderWebhook receiver;
    private final Metrics metrics;

    public WebhookFunction(ReceiveProviderWebhook receiver, Metrics metrics) {
        this.metrics = metrics;
        this.receiver = receiver;
    }

    @Funq("webhook")
    public APIGatewayV2HTTPResponse webhook(APIGatewayV2HTTPEvent event) {
        metrics.invoked("webhook");
        return HttpResponses.serve(event, request -> {
            if (request.route() != Route.PROVIDER_WEBHOOK) {
                return HttpResponses.notServedHere(request);
            }
            Job job = receiver.receive(
                    request.pathParameter("provider"),
                    request.pathParameter("jobId"),
                    request.query("token").orElse(null),
                    request.body());
            return HttpResponses.json(
                    200, Map.of("id", job.id().value(), "status", job.status().wire()));
        });
    }
}
