package app.visage.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.visage.api.Route;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

/**
 * Client authentication: exactly one of apiKeys and jwtIssuer, checked at synth (an open API would
 * fail the deployment when SnapStart starts submit and status); keys reach those two functions as
 * hashes, a JWT authorizer guards the client routes and never the provider webhook route.
 */
class ClientAuthTest {
    static final String WEBHOOK_ROUTE = Route.PROVIDER_WEBHOOK.routeKey();

    @Test
    void withNeitherTheSynthRefusesAnOpenApiAndSaysHowToClose() {
        var e = assertThrows(IllegalArgumentException.class, () -> settings(Map.of()));
        assertTrue(e.getMessage().contains("would be open"), e.getMessage());
        assertTrue(e.getMessage().contains("-c apiKeys="), e.getMessage());
        assertTrue(e.getMessage().contains("-c jwtIssuer="), e.getMessage());
    }

    @Test
    void withBothTheSynthSaysTheKeysCouldNeverBeUsed() {
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> settings(
                        Map.of("apiKeys", Synth.API_KEYS, "jwtIssuer", Synth.JWT_ISSUER, "jwtAudience", "client-one")));
        assertTrue(e.getMessage().contains("both set"), e.getMessage());
        assertTrue(e.getMessage().contains("could never be used"), e.getMessage());
    }

    @Test
    void aMalformedApiKeysEntryIsNamedByItsNumberAndNeverShown() {
        String pastedKey = "kT9vQ2mX7bL4nR8pW1sZ6yH3cF5jD0gA-e_uIoPq";
        Map<String, String> bad = Map.of(
                "acme=" + pastedKey,
                "after '=' comes the SHA-256",
                pastedKey,
                "no '='",
                "-acme=" + Synth.sha256Hex("x"),
                "tenant name",
                "acme=" + Synth.sha256Hex("x").substring(1),
                "after '=' comes the SHA-256");
        bad.forEach((entry, why) -> {
            String good = "beta=" + Synth.sha256Hex("beta test key");
            var e = assertThrows(IllegalArgumentException.class, () -> settings(Map.of("apiKeys", good + "," + entry)));
            assertTrue(e.getMessage().contains("entry 2 of 2"), e.getMessage());
            assertTrue(e.getMessage().contains(why), e.getMessage());
            assertFalse(e.getMessage().contains(entry), "the entry is in the message");
            assertFalse(e.getMessage().contains(entry.substring(entry.indexOf('=') + 1)), "its value is in it");
        });
        var empty =
                assertThrows(IllegalArgumentException.class, () -> settings(Map.of("apiKeys", Synth.API_KEYS + ",")));
        assertTrue(empty.getMessage().contains("entry 3 of 3 is empty"), empty.getMessage());
        String hash = Synth.sha256Hex("shared");
        var shared = assertThrows(
                IllegalArgumentException.class,
                () -> settings(Map.of("apiKeys", "acme=" + hash + ",beta=" + hash.toUpperCase())));
        assertTrue(shared.getMessage().contains("entry 2 of 2 has the same key hash as entry 1"), shared.getMessage());
        assertFalse(shared.getMessage().contains(hash), shared.getMessage());
    }

    @Test
    void apiKeysAreTrimmedAndTheirHashesLowerCased() {
        String a = Synth.sha256Hex("a");
        String b = Synth.sha256Hex("b");
        DeploySettings settings = settings(Map.of("apiKeys", " acme = " + a.toUpperCase() + " , Beta_2.co=" + b));
        assertEquals(new ClientAuth.ApiKeys("acme=" + a + ",Beta_2.co=" + b), settings.clientAuth());
    }

    @Test
    void theJwtFlagsAreChecked() {
        var noAudience =
                assertThrows(IllegalArgumentException.class, () -> settings(Map.of("jwtIssuer", Synth.JWT_ISSUER)));
        assertTrue(noAudience.getMessage().contains("jwtAudience is required"), noAudience.getMessage());
        for (String issuer : List.of(
                "http://issuer.example.test/",
                "issuer.example.test",
                "https:///path",
                "https://user@issuer.example.test/")) {
            var e = assertThrows(
                    IllegalArgumentException.class,
                    () -> settings(Map.of("jwtIssuer", issuer, "jwtAudience", "client-one")),
                    issuer);
            assertTrue(e.getMessage().contains("https URL"), e.getMessage());
        }
        var emptyAudience = assertThrows(
                IllegalArgumentException.class,
                () -> settings(Map.of("jwtIssuer", Synth.JWT_ISSUER, "jwtAudience", "client-one,,client-two")));
        assertTrue(emptyAudience.getMessage().contains("empty entry"), emptyAudience.getMessage());
        var audienceWithKeys = assertThrows(
                IllegalArgumentException.class,
                () -> settings(Map.of("apiKeys", Synth.API_KEYS, "jwtAudience", "client-one")));
        assertTrue(audienceWithKeys.getMessage().contains("without jwtIssuer"), audienceWithKeys.getMessage());

        DeploySettings settings =
                settings(Map.of("jwtIssuer", Synth.JWT_ISSUER, "jwtAudience", " client-one, client-two"));
        assertEquals(new ClientAuth.Jwt(Synth.JWT_ISSUER, Synth.JWT_AUDIENCE, "sub"), settings.clientAuth());
    }

    @Test
    void apiKeysReachSubmitAndStatusOnly() {
        for (Synth.Synthesized s : List.of(Synth.jvm(), Synth.nativeVariant())) {
            for (String export : FunctionsTest.EXPORTS) {
                Map<String, Object> env = Synth.env(Json.map(s.resources().get(Synth.functionId(s, export))));
                if (FunctionsTest.CLIENT_FACING.contains(export)) {
                    assertEquals(Synth.API_KEYS, env.get("VISAGE_AUTH_API_KEYS"), export);
                } else {
                    assertNull(env.get("VISAGE_AUTH_API_KEYS"), export);
                }
                assertNull(env.get("VISAGE_AUTH_JWT_TENANT_CLAIM"), export);
            }
            s.template().resourceCountIs("AWS::ApiGatewayV2::Authorizer", 0);
            routes(s).forEach((key, route) -> assertEquals("NONE", route.get("AuthorizationType"), key));
        }
    }

    @Test
    void aJwtAuthorizerGuardsTheClientRoutesButNotTheProviderWebhook() {
        Synth.Synthesized s = Synth.jwt();
        String authorizer = Synth.logicalIdOfType(s, "AWS::ApiGatewayV2::Authorizer");
        Map<String, Object> props =
                Json.map(Json.map(s.resources().get(authorizer)).get("Properties"));
        assertEquals("JWT", props.get("AuthorizerType"));
        assertEquals(Map.of("Ref", Synth.logicalIdOfType(s, "AWS::ApiGatewayV2::Api")), props.get("ApiId"));
        assertEquals(Map.of("Issuer", Synth.JWT_ISSUER, "Audience", Synth.JWT_AUDIENCE), props.get("JwtConfiguration"));
        assertEquals(List.of("$request.header.Authorization"), props.get("IdentitySource"));

        Map<String, Map<String, Object>> routes = routes(s);
        assertEquals(ApiRoutesTest.ROUTES.keySet(), routes.keySet());
        routes.forEach((key, route) -> {
            if (key.equals(WEBHOOK_ROUTE)) {
                assertEquals("NONE", route.get("AuthorizationType"), key);
                assertNull(route.get("AuthorizerId"), key);
            } else {
                assertEquals("JWT", route.get("AuthorizationType"), key);
                assertEquals(Map.of("Ref", authorizer), route.get("AuthorizerId"), key);
            }
        });

        for (String export : FunctionsTest.EXPORTS) {
            Map<String, Object> env = Synth.env(Json.map(s.resources().get(Synth.functionId(s, export))));
            assertNull(env.get("VISAGE_AUTH_API_KEYS"), export);
            assertEquals(
                    FunctionsTest.CLIENT_FACING.contains(export) ? "custom:tenant" : null,
                    env.get("VISAGE_AUTH_JWT_TENANT_CLAIM"),
                    export);
        }
    }

    /** Route key → the route's properties. */
    private static Map<String, Map<String, Object>> routes(Synth.Synthesized s) {
        Map<String, Map<String, Object>> routes = new TreeMap<>();
        s.resources().values().stream()
                .map(Json::map)
                .filter(r -> "AWS::ApiGatewayV2::Route".equals(r.get("Type")))
                .map(r -> Json.map(r.get("Properties")))
                .forEach(p -> routes.put((String) p.get("RouteKey"), p));
        return routes;
    }

    /** DeploySettings from these context values and the placeholder artifacts, with no auth flag of its own. */
    private static DeploySettings settings(Map<String, Object> context) {
        Map<String, Object> all = new HashMap<>();
        all.put("jvmArtifact", Synth.jvmPlaceholder().toString());
        all.putAll(context);
        return DeploySettings.from(new App(AppProps.builder().context(all).build()).getNode(), Synth.INFRA_DIR);
    }
}
