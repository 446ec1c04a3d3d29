package app.visage.images;

import java.awt.image.BufferedImage;

/** A deliberate violation for ArchitectureTest: AWT outside the local engine. Never used. */
class ViolationImagesUsingAwt {
    BufferedImage image;
}
