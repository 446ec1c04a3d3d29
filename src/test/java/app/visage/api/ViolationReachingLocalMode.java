package app.visage.api;

import app.visage.local.LocalConfig;

/** A deliberate violation for ArchitectureTest: shipped code reaching local mode. Never used. */
class ViolationReachingLocalMode {
    LocalConfig config;
}
