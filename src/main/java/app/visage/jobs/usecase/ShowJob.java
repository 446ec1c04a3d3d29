package app.visage.jobs.usecase;

import app.visage.jobs.model.ShownJob;
import app.visage.jobs.model.Tenant;
import jakarta.enterprise.context.ApplicationScoped;

/** GET /v1/jobs/{id}: the tenant's job, refreshed from its provider if a result is overdue, with its outputs' links. */
@ApplicationScoped
public class ShowJob {
    private final FindJob findJob;
    private final OutputLinks links;

    public ShowJob(FindJob findJob, OutputLinks links) {
        this.findJob = findJob;
        this.links = links;
    }

    public ShownJob show(String id, Tenant tenant) {
        return links.shown(findJob.findFresh(id, tenant));
    }
}
