package app.visage.jobs.port;

import app.visage.jobs.model.Work;
import java.time.Instant;
import java.util.List;

/**
 * Port: the due-work index, one small marker per timer too long for the queue's delay, under
 * {@code due/{yyyyMMddHHmm}/…}. Listing reads the markers in key order, so it touches only the minutes
 * asked for, never the rest.
 */
public interface DueIndex {

    /** Keeps {@code work} until the cleanup hands it to the queue. Throws if it could not be stored. */
    void add(Work work);

    /** At most {@code max} markers due in minutes up to and including {@code until}'s, earliest first. */
    List<Marker> dueBy(Instant until, int max);

    /** Removes markers whose work is on the queue. */
    void remove(List<Marker> markers);

    /** A marker and the work it holds ({@code null} if the marker could not be read: it is removed all the same). */
    record Marker(String key, Work work) {}
}
