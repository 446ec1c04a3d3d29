package app.visage.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What src/build/native-build-steps.sh leaves for native-image in target/native: the runner jar and its lib/. */
final class NativeImageSources {
    private NativeImageSources() {}

    /** The runner jar of target/native/*-native-image-source-jar. */
    static Path runnerJar() throws IOException {
        try (Stream<Path> dirs = Files.list(Path.of("target", "native"))) {
            Path sources = dirs.filter(p -> p.getFileName().toString().endsWith("-native-image-source-jar"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no native image sources in target/native"));
            try (Stream<Path> jars = Files.list(sources)) {
                return jars.filter(p -> p.toString().endsWith("-runner.jar"))
                        .findFirst()
                        .orElseThrow();
            }
        }
    }
}
