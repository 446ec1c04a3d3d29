package app.visage.jobs.model;

import java.util.Objects;

/**
 * Whose job it is: the tenant an API key or a JWT claim names. Without keys configured (local mode,
 * open) every caller is the same anonymous tenant, whose id is null.
 */
public record Tenant(String id) {
    public static final Tenant ANONYMOUS = new Tenant(null);

    public boolean owns(Job job) {
        return Objects.equals(id, job.tenant());
    }
}
