package app.visage.storage;

import app.visage.providers.fashn.FashnProvider;

/** A deliberate violation for ArchitectureTest: one outbound adapter reaching another. Never used. */
class ViolationStorageReachingAProvider {
    FashnProvider provider;
}
