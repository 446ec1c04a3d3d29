package app.visage.providers.metahuman;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * MetaHuman SDK's face reconstruction (research/providers.md §3): multipart, the token as a form field. The
 * body is encoded by {@link MultipartBody} and sent as bytes, so it has a Content-Length (the client's own
 * multipart support streams it chunked).
 */
public interface MetaHumanApi {

    @POST
    @Path("/face_recon/run_pipeline")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> runPipeline(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body);
}
