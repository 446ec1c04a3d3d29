package app.visage.local;

import app.visage.functions.StatusFunction;
import app.visage.functions.SubmitFunction;
import app.visage.functions.WebhookFunction;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import jakarta.enterprise.context.ApplicationScoped;

/** The HTTP functions by the name a route gives them, as API Gateway's integrations would pick them. */
@ApplicationScoped
public class LocalFunctions {
    private final SubmitFunction submit;
    private final StatusFunction status;
    private final WebhookFunction webhook;

    public LocalFunctions(SubmitFunction submit, StatusFunction status, WebhookFunction webhook) {
        this.submit = submit;
        this.status = status;
        this.webhook = webhook;
    }

    public APIGatewayV2HTTPResponse invoke(String function, APIGatewayV2HTTPEvent event) {
        return switch (function) {
            case "submit" -> submit.submit(event);
            case "status" -> status.status(event);
            case "webhook" -> webhook.webhook(event);
            default -> throw new IllegalArgumentException("no HTTP function " + function);
        };
    }
}
