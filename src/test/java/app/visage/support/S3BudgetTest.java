package app.visage.support;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class S3BudgetTest {
    private final S3Budget status = new S3Budget("status", Map.of("GET", 1));
    private final S3Requests.Request read = new S3Requests.Request("GET", "/visage/jobs/job_a.json");

    @Test
    void requestsWithinTheBudgetPass() {
        assertThatCode(() -> status.check(List.of())).doesNotThrowAnyException();
        assertThatCode(() -> status.check(List.of(read))).doesNotThrowAnyException();
    }

    @Test
    void oneRequestOverTheBudgetFailsAndNamesEveryRequestMade() {
        assertThatThrownBy(() -> status.check(List.of(read, read)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("status made more S3 requests than its budget: GET 2 (budget 1)")
                .hasMessageContaining("GET /visage/jobs/job_a.json\n  GET /visage/jobs/job_a.json");
    }

    @Test
    void aTypeTheBudgetDoesNotNameIsOverItsBudgetOfNone() {
        assertThatThrownBy(() -> status.check(List.of(read, new S3Requests.Request("PUT", "/visage/jobs/job_a.json"))))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("PUT 1 (budget 0)")
                .hasMessageNotContaining("GET 1 (budget");
    }
}
