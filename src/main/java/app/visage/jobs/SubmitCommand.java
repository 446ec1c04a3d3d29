package app.visage.jobs;

import java.net.URI;
import java.util.Map;

/** A checked request to run a job on a photo that is already in hand. */
public record SubmitCommand(Operation operation, Provider provider, Params params, Photo photo, URI webhook,
        Map<String, String> metadata) {
}
