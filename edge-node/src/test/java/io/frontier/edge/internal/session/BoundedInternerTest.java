package io.frontier.edge.internal.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BoundedInternerTest {
    @Test
    void equalValues_shareOneInstance() {
        BoundedInterner interner = new BoundedInterner(4);
        String first = interner.intern(new String("1.2.3"));
        assertThat(interner.intern(new String("1.2.3"))).isSameAs(first);
    }

    @Test
    void pastTheBound_valuesComeBackAsTheyAre_andTheKnownStayShared() {
        BoundedInterner interner = new BoundedInterner(2);
        String a = interner.intern(new String("a"));
        interner.intern(new String("b"));
        String c = new String("c");
        assertThat(interner.intern(c)).isSameAs(c);
        assertThat(interner.intern(new String("c"))).isNotSameAs(c);
        assertThat(interner.intern(new String("a"))).isSameAs(a);
    }
}
