package app.visage.jobs.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JobStatusTest {
    @Test
    void theStateMachineOfTheDesign() {
        assertThat(allowedFrom(JobStatus.QUEUED))
                .containsExactlyInAnyOrder(JobStatus.PROCESSING, JobStatus.FAILED, JobStatus.CANCELED);
        assertThat(allowedFrom(JobStatus.PROCESSING))
                .as("back to queued when the provider says to run it again")
                .containsExactlyInAnyOrder(JobStatus.QUEUED, JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELED);
        for (JobStatus terminal : EnumSet.of(JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELED)) {
            assertThat(allowedFrom(terminal)).containsExactly(JobStatus.EXPIRED);
        }
        assertThat(allowedFrom(JobStatus.EXPIRED)).isEmpty();
    }

    private static Set<JobStatus> allowedFrom(JobStatus from) {
        Set<JobStatus> allowed = EnumSet.noneOf(JobStatus.class);
        for (JobStatus to : JobStatus.values()) {
            if (from.canMoveTo(to)) {
                allowed.add(to);
            }
        }
        return allowed;
    }
}
