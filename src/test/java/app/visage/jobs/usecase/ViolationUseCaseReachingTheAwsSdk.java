package app.visage.jobs.usecase;

import software.amazon.awssdk.services.s3.S3Client;

/** A deliberate violation for ArchitectureTest: a use case calling S3 itself. Never used. */
class ViolationUseCaseReachingTheAwsSdk {
    S3Client s3;
}
