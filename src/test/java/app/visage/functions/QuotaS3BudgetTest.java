package app.visage.functions;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.local.LocalS3;
import app.visage.support.S3Budget;
import app.visage.support.S3Requests;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * What per-tenant quotas add to a create's S3 requests (with quotas off, the default, they add none:
 * {@link S3RequestBudgetTest} holds those budgets unchanged).
 */
@QuarkusTest
@TestProfile(QuotaS3BudgetTest.QuotasOn.class)
class QuotaS3BudgetTest {
    /**
     * {@link S3RequestBudgetTest#UPLOAD_TICKET} (PUT 2) and, for the tenant's first job: its concurrent-job slot 0
     * read (absent) and created, its count of the day read (absent) and created. Each job of the tenant not yet
     * ended adds a slot read and its record's read; a day's later jobs replace the count instead of creating it.
     */
    static final S3Budget UPLOAD_TICKET_WITH_QUOTAS =
            new S3Budget("upload ticket with quotas", Map.of("PUT", 4, "GET", 2));

    @Inject
    LocalS3 s3;

    @Inject
    SubmitFunction submit;

    @Test
    void theFirstJobOfATenantTakesASlotAndCountsItsDay() {
        AtomicReference<JsonPath> ticket = new AtomicReference<>();
        List<S3Requests.Request> made = new S3Requests(s3)
                .during(() -> ticket.set(JsonPath.from(
                        submit.submit(SampleEvents.apiEvent(SampleEvents.read("submit-create-upload.json")))
                                .getBody())));
        assertThat(ticket.get().getString("job_id")).startsWith("job_");
        UPLOAD_TICKET_WITH_QUOTAS.check(made);
    }

    public static class QuotasOn extends BudgetProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("visage.quotas.max-concurrent-jobs", "10");
            config.put("visage.quotas.max-jobs-per-day", "1000");
            return config;
        }
    }
}
