package app.visage.jobs.port;

import app.visage.jobs.usecase.RunJob;

/** A deliberate violation for ArchitectureTest: a port reaching a use case. Never used. */
class ViolationPortReachingAUseCase {
    RunJob runner;
}
