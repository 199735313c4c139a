package dev.merlai.events;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeaderValuesTest {

    @Test
    void anUploadNameWithEmojiCjkAndSpacesTravelsAsPrintableAsciiAndComesBackTheSame() {
        String key = "tenants/demo/inbox/✓ 夜の歌 🎹.mid";
        String header = HeaderValues.encode(key);
        assertEquals("tenants/demo/inbox/%E2%9C%93%20%E5%A4%9C%E3%81%AE%E6%AD%8C%20%F0%9F%8E%B9.mid", header);
        assertTrue(header.chars().allMatch(c -> c > 0x20 && c < 0x7F), header);
        assertEquals(key, HeaderValues.decode(header));
    }

    @Test
    void percentAndQuoteAreEncodedSoTheyComeBackLiterally() {
        assertEquals("100%25%20%22done%22", HeaderValues.encode("100% \"done\""));
        assertEquals("100% \"done\"", HeaderValues.decode(HeaderValues.encode("100% \"done\"")));
    }

    @Test
    void aValueNobodyEncodedIsReadAsItWasMeant() {
        assertEquals("50% off", HeaderValues.decode("50% off"));
        assertEquals("job-1", HeaderValues.decode("job-1"));
        assertNull(HeaderValues.decode(null));
        assertNull(HeaderValues.encode(null));
    }
}
