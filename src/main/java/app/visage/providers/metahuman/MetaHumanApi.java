package app.visage.providers.metahuman;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.client.api.ClientMultipartForm;

/** MetaHuman SDK's face reconstruction (research/providers.md §3): multipart, the token as a form field. */
public interface MetaHumanApi {

    @POST
    @Path("/face_recon/run_pipeline")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> runPipeline(ClientMultipartForm form);
}
