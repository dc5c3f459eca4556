package io.frontier.launcher.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Lets an appender of conf/logback.xml write only when its format is the one selected: both appenders stay
 * referenced (logback warns of one that is not, and prints its whole status then), one of them silent.
 */
public final class SelectedFormat extends Filter<ILoggingEvent> {
    private String format;
    private String selected;
    private boolean writes;

    /** The format of the appender this filter guards: {@code text} or {@code json}. */
    public void setFormat(String format) {
        this.format = format;
    }

    /** The format the logs are in now. */
    public void setSelected(String selected) {
        this.selected = selected;
    }

    @Override
    public void start() {
        writes = format != null && format.equalsIgnoreCase(selected);
        super.start();
    }

    @Override
    public FilterReply decide(ILoggingEvent event) {
        return writes ? FilterReply.NEUTRAL : FilterReply.DENY;
    }
}
