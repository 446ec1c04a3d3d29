package app.visage.jobs.model;

import app.visage.storage.S3JobStore;

/** A deliberate violation for ArchitectureTest: the model reaching an adapter. Never used. */
class ViolationModelReachingStorage {
    S3JobStore store;
}
