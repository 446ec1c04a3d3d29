package app.visage.functions;

import app.visage.storage.S3JobStore;

/** A deliberate violation for ArchitectureTest: an entry point going around the use cases. Never used. */
class ViolationFunctionReachingStorage {
    S3JobStore store;
}
