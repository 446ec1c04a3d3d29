package app.visage.providers.modelslab;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The ModelsLab endpoints Visage calls, on its three servers (research/providers.md §1.1). The key
 * travels in every JSON body, written beforehand so it goes out whole with its Content-Length; every
 * answer is read raw, since errors come as HTTP 200 too.
 */
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface ModelsLabApi {

    @POST
    @Path("/api/v6/image_editing/{endpoint}")
    Uni<Response> shared(@PathParam("endpoint") String endpoint, byte[] body);

    @POST
    @Path("/api/v6/image_editing/fetch/{id}")
    Uni<Response> sharedFetch(@PathParam("id") String id, byte[] body);

    @POST
    @Path("/api/v1/enterprise/image_editing/{endpoint}")
    Uni<Response> enterprise(@PathParam("endpoint") String endpoint, byte[] body);

    @POST
    @Path("/api/v1/enterprise/image_editing/fetch/{id}")
    Uni<Response> enterpriseFetch(@PathParam("id") String id, byte[] body);

    @POST
    @Path("/api/v1/enterprise/face_gen/make_gen")
    Uni<Response> makeGen(byte[] body);

    @POST
    @Path("/api/v1/enterprise/face_gen/fetch/{id}")
    Uni<Response> faceGenFetch(@PathParam("id") String id, byte[] body);
}
