package app.visage.functions;

import app.visage.api.HttpResponses;
import app.visage.api.IdempotentHttp;
import app.visage.api.JobRequests;
import app.visage.auth.Authenticator;
import app.visage.jobs.model.Tenant;
import app.visage.jobs.usecase.CancelJob;
import app.visage.jobs.usecase.CreateUpload;
import app.visage.jobs.usecase.SubmitJob;
import app.visage.jobs.view.JobViews;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.quarkus.funqy.Funq;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** API Gateway: POST /v1/jobs, POST /v1/uploads, POST /v1/jobs/{id}/cancel. */
@ApplicationScoped
public class SubmitFunction {
    @Inject
    Authenticator authenticator;

    @Inject
    IdempotentHttp idempotent;

    @Inject
    JobRequests requests;

    @Inject
    JobViews views;

    @Inject
    SubmitJob submitJob;

    @Inject
    CreateUpload createUpload;

    @Inject
    CancelJob cancelJob;

    @Funq("submit")
    public APIGatewayV2HTTPResponse submit(APIGatewayV2HTTPEvent event) {
        return HttpResponses.serve(event, request -> {
            Tenant tenant = authenticator.authenticate(request);
            return switch (request.route()) {
                case CREATE_JOB ->
                    idempotent.answer(
                            request,
                            tenant,
                            id -> HttpResponses.json(
                                    202, views.accepted(submitJob.submit(requests.submit(request, tenant, id)))));
                case CREATE_UPLOAD ->
                    idempotent.answer(
                            request,
                            tenant,
                            id -> HttpResponses.json(
                                    201,
                                    views.uploadTicket(createUpload.create(requests.upload(request, tenant, id)))));
                case CANCEL_JOB ->
                    HttpResponses.json(200, views.view(cancelJob.cancel(request.pathParameter("id"), tenant)));
                default -> HttpResponses.notServedHere(request);
            };
        });
    }
}
