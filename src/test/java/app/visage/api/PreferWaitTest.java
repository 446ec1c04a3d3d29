package app.visage.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** RFC 7240's wait preference as POST /v1/jobs reads it. */
class PreferWaitTest {

    @Test
    void aWaitIsReadAmongOtherPreferencesAndCappedAt25Seconds() {
        assertThat(PreferWait.parse("wait=10")).contains(10);
        assertThat(PreferWait.parse("respond-async, wait=5")).contains(5);
        assertThat(PreferWait.parse("WAIT = \"7\"")).contains(7);
        assertThat(PreferWait.parse("wait=3; foo=bar")).contains(3);
        assertThat(PreferWait.parse("wait=100")).contains(PreferWait.MOST_SECONDS);
    }

    @Test
    void whatIsNoWaitOfAWholeSecondOrMoreIsIgnored() {
        assertThat(PreferWait.parse("wait=0")).isEmpty();
        assertThat(PreferWait.parse("wait=-1")).isEmpty();
        assertThat(PreferWait.parse("wait=1.5")).isEmpty();
        assertThat(PreferWait.parse("wait=")).isEmpty();
        assertThat(PreferWait.parse("respond-async")).isEmpty();
        assertThat(PreferWait.parse("handling=strict")).isEmpty();
        assertThat(PreferWait.parse("wait=99999999999")).isEmpty();
    }
}
