package app.visage.api;

import app.visage.idempotency.IdempotentRequests;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.Tenant;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** The Idempotency-Key header of the requests that create jobs, over HTTP answers. */
@ApplicationScoped
public class IdempotentHttp {
    private final IdempotentRequests requests;

    public IdempotentHttp(IdempotentRequests requests) {
        this.requests = requests;
    }

    /** Runs {@code handler} with the id its job must take: a new one, or the one the request's key holds. */
    public APIGatewayV2HTTPResponse answer(
            HttpRequest request, Tenant tenant, Function<JobId, APIGatewayV2HTTPResponse> handler) {
        var key = request.header("idempotency-key");
        if (key.isEmpty()) {
            return handler.apply(JobId.random());
        }
        IdempotentRequests.Answer answer = requests.answer(tenant, key.get(), RequestFingerprint.of(request), id -> {
            APIGatewayV2HTTPResponse response = handler.apply(id);
            return new IdempotentRequests.Answer(response.getStatusCode(), response.getBody());
        });
        APIGatewayV2HTTPResponse response = HttpResponses.jsonText(answer.status(), answer.body());
        if (answer.replayed()) {
            Map<String, String> headers = new LinkedHashMap<>(response.getHeaders());
            headers.put("idempotent-replayed", "true");
            response.setHeaders(headers);
        }
        return response;
    }
}
