package app.visage.local;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Local mode's entry point. It is compiled for Java 17, unlike the rest of Visage (Java 21, Lambda's
 * runtime), so that an older {@code java} reaches this check and says which Java it needs instead of
 * failing on the first newer class with exit code 1 and no word.
 */
@QuarkusMain
public final class LocalLauncher {

    public static void main(String... args) throws IOException {
        int needed = javaOfClassFile("/app/visage/local/LocalMode.class");
        if (Runtime.version().feature() < needed) {
            System.err.println("Visage needs Java " + needed + " or newer; this is Java " + Runtime.version() + " ("
                    + System.getProperty("java.home") + "): run it with a newer java, or with ./mvnw, which picks one");
            System.exit(1);
        }
        Quarkus.run(args);
    }

    /** The Java release an application class was compiled for, read from its class file's major version. */
    private static int javaOfClassFile(String resource) throws IOException {
        try (InputStream in = LocalLauncher.class.getResourceAsStream(resource)) {
            DataInputStream data = new DataInputStream(in);
            data.readInt(); // 0xCAFEBABE
            data.readUnsignedShort(); // minor version
            return data.readUnsignedShort() - 44;
        }
    }
}
