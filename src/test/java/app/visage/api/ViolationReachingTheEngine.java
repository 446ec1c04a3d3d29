package app.visage.api;

import app.visage.providers.local.engine.LocalEngine;

/** A deliberate violation for ArchitectureTest: the engine reached around its one bean. Never used. */
class ViolationReachingTheEngine {
    LocalEngine engine;
}
