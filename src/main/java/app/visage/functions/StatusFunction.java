package app.visage.functions;

import app.visage.api.HttpResponses;
import app.visage.api.Route;
import app.visage.auth.Authenticator;
import app.visage.jobs.model.Tenant;
import app.visage.jobs.usecase.ShowJob;
import app.visage.jobs.view.JobViews;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.quarkus.funqy.Funq;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** API Gateway: GET /v1/jobs/{id}. */
@ApplicationScoped
public class StatusFunction {
    @Inject
    Authenticator authenticator;

    @Inject
    ShowJob showJob;

    @Inject
    JobViews views;

    @Funq("status")
    public APIGatewayV2HTTPResponse status(APIGatewayV2HTTPEvent event) {
        return HttpResponses.serve(event, request -> {
            Tenant tenant = authenticator.authenticate(request);
            return request.route() == Route.GET_JOB
                    ? HttpResponses.json(200, views.view(showJob.show(request.pathParameter("id"), tenant)))
                    : HttpResponses.notServedHere(request);
        });
    }
}
