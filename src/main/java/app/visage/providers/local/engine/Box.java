package app.visage.providers.local.engine;

/** An axis-aligned rectangle in source-image pixels; (x, y) is the top-left corner. */
public record Box(double x, double y, double width, double height) {

    public double area() {
        return Math.max(0, width) * Math.max(0, height);
    }

    public double centerX() {
        return x + width / 2;
    }

    public double centerY() {
        return y + height / 2;
    }

    public double right() {
        return x + width;
    }

    public double bottom() {
        return y + height;
    }

    public double iou(Box other) {
        double ix = Math.max(0, Math.min(right(), other.right()) - Math.max(x, other.x));
        double iy = Math.max(0, Math.min(bottom(), other.bottom()) - Math.max(y, other.y));
        double inter = ix * iy;
        double union = area() + other.area() - inter;
        return union <= 0 ? 0 : inter / union;
    }
}
