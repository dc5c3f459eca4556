package io.frontier.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdsTest {
    @Test
    void anIdIsOneTo128Characters_notBlank_withoutControlCharacters() {
        assertThat(Ids.valid("alice")).isTrue();
        assertThat(Ids.valid("a".repeat(128))).isTrue();
        assertThat(Ids.valid("用户-1")).isTrue();
        assertThat(Ids.valid(null)).isFalse();
        assertThat(Ids.valid("")).isFalse();
        assertThat(Ids.valid("   ")).isFalse();
        assertThat(Ids.valid("a".repeat(129))).isFalse();
        assertThat(Ids.valid("ali\nce")).isFalse();
        assertThat(Ids.valid("ali\u0000ce")).isFalse();
        assertThat(Ids.valid("ali\u007fce")).isFalse();
    }

    @Test
    void aQuotedIdIsShortAndShowsItsControlCharacters() {
        assertThat(Ids.quoted("bob")).isEqualTo("\"bob\"");
        assertThat(Ids.quoted("b\no\u0000b")).isEqualTo("\"b\\u000ao\\u0000b\"");
        assertThat(Ids.quoted("x".repeat(8200))).isEqualTo("\"" + "x".repeat(32) + "...\"");
    }
}
