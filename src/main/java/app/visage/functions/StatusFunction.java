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

/** API Gateway: GET /v1/jobs/{id}. */
@ApplicationScoped
public class StatusFunction {
    private final Authenticator authenticator;
    private final ShowJob showJob;
    private final JobViews views;

    public StatusFunction(Authenticator authenticator, ShowJob showJob, JobViews views) {
        this.authenticator = authenticator;
        this.showJob = showJob;
        this.views = views;
    }

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
