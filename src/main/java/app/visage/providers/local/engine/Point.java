package app.visage.providers.local.engine;

/** A position in source-image pixels. */
public record Point(double x, double y) {}
