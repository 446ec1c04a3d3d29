package app.visage.providers.fashn;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** FASHN's prediction API (research/providers.md §2): Bearer key, webhook URL as a query parameter. */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public interface FashnApi {

    @POST
    @Path("/run")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> run(
            @HeaderParam("Authorization") String authorization,
            @QueryParam("webhook_url") String webhookUrl,
            ObjectNode body);

    @GET
    @Path("/status/{id}")
    Uni<Response> status(@HeaderParam("Authorization") String authorization, @PathParam("id") String id);
}
