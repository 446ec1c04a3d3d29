package app.visage.images;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The image tools as beans; they hold no state, so one of each serves every request. */
@ApplicationScoped
public class ImageBeans {
    @Produces
    @Singleton
    ImageInspector imageInspector() {
        return new ImageInspector();
    }
}
