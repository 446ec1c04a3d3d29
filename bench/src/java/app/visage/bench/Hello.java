package app.visage.bench;

/** The floor of the start-up bench: a JVM that starts, prints one line and ends. */
public final class Hello {
    private Hello() {}

    public static void main(String[] args) {
        System.out.println("hello");
    }
}
