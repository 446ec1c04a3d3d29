package app.visage.functions;

import app.visage.api.HttpResponses;
import app.visage.api.JobListQuery;
import app.visage.auth.Authenticator;
import app.visage.jobs.model.Tenant;
import app.visage.jobs.port.Metrics;
import app.visage.jobs.usecase.ListJobs;
import app.visage.jobs.usecase.ShowJob;
import app.visage.jobs.view.JobViews;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.quarkus.funqy.Funq;
import jakarta.enterprise.context.ApplicationScoped;

/** API Gateway: GET /v1/jobs/{id}, GET /v1/jobs. */
@ApplicationScoped
public class StatusFunction {
    private final Authenticator authenticator;
    private final ShowJob showJob;
    private final ListJobs listJobs;
    private final JobViews views;
    private final Metrics metrics;

    public StatusFunction(
            Authenticator authenticator, ShowJob showJob, ListJobs listJobs, JobViews views, Metrics metrics) {
        this.metrics = metrics;
        this.authenticator = authenticator;
        this.showJob = showJob;
        this.listJobs = listJobs;
        this.views = views;
    }

    @Funq("status")
    public APIGatewayV2HTTPResponse status(APIGatewayV2HTTPEvent event) {
        metrics.invoked("status");
        return HttpResponses.serve(event, request -> {
            Tenant tenant = authenticator.authenticate(request);
            return switch (request.route()) {
                case GET_JOB -> HttpResponses.json(200, views.view(showJob.show(request.pathParameter("id"), tenant)));
                case LIST_JOBS -> {
                    ListJobs.Listing listing = listJobs.list(tenant, JobListQuery.of(request));
                    yield HttpResponses.json(
                            200,
                            views.page(
                                    listing.jobs(),
                                    listing.next() == null ? null : JobListQuery.cursor(listing.next())));
                }
                default -> HttpResponses.notServedHere(request);
            };
        });
    }
}
