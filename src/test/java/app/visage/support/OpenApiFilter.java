package app.visage.support;

import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import java.net.URI;
import java.util.List;

/**
 * Fails the test whose request got an answer docs/openapi.json does not describe (see {@link OpenApiContract}):
 * installed by {@link LocalApi#given}, so every API test through local mode checks the document.
 */
public final class OpenApiFilter implements Filter {
    /** How much of a wrong body the failure shows (bodies may carry whole images as data URIs). */
    private static final int SHOWN = 600;

    @Override
    public Response filter(
            FilterableRequestSpecification request, FilterableResponseSpecification spec, FilterContext context) {
        Response response = context.next(request, spec);
        String method = request.getMethod();
        String path = URI.create(request.getURI()).getRawPath();
        String body = response.asString();
        List<String> problems = OpenApiContract.get()
                .problems(method, path, response.statusCode(), response.contentType(), response::header, body);
        if (!problems.isEmpty()) {
            throw new AssertionError("docs/openapi.json does not describe the answer to " + method + " " + path + ": "
                    + response.statusCode() + " " + response.contentType() + "\n  - " + String.join("\n  - ", problems)
                    + "\n  body: " + (body.length() > SHOWN ? body.substring(0, SHOWN) + "…" : body));
        }
        return response;
    }
}
