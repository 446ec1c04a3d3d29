package app.visage.webhooks;

import app.visage.api.HttpResponses;

/** A deliberate violation for ArchitectureTest: an outbound adapter reaching the HTTP API. Never used. */
class ViolationSenderReachingTheApi {
    HttpResponses responses;
}
