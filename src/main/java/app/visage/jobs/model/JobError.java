package app.visage.jobs.model;

import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Why a job failed: a public code, a message for people, and the provider's own code if any. */
@RegisterForReflection
public record JobError(String code, String message, String providerCode) {

    public static JobError of(ErrorCode code, String message) {
        return new JobError(code.wire(), message, null);
    }

    public static JobError of(VisageException failure) {
        return of(failure.code(), failure.getMessage());
    }
}
