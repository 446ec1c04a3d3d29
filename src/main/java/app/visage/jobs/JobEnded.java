package app.visage.jobs;

/** Fired once when a job record is written in a terminal state (succeeded, failed, canceled). */
public record JobEnded(Job job) {}
