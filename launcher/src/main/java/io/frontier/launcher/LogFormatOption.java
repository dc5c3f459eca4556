package io.frontier.launcher;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import java.util.Locale;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --log-format text|json} of every node. conf/logback.xml names its appender by the property
 * {@value #PROPERTY}, which the environment variable of the same name sets from the first line on; the option
 * (or the config file's {@code log-format}) configures the logs again once the command line is read, with the
 * node's id, which JSON lines carry as {@code node}.
 */
final class LogFormatOption {
    /** The logback property (and environment variable) that picks the appender: {@code text} or {@code json}. */
    static final String PROPERTY = "FRONTIER_LOG_FORMAT";
    /** The logback property JSON lines name the node by. */
    static final String NODE = "FRONTIER_LOG_NODE";

    @Option(names = "--log-format", paramLabel = "text|json", defaultValue = "text", converter = Format.class,
            description = "Log lines as text, or as one JSON object per line (timestamp, level, logger, message, node;"
                    + " conn, user and code on a connection's close). Default: ${DEFAULT-VALUE}.")
    String format;

    /** Converts {@code --log-format}. */
    static final class Format implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String format = value.toLowerCase(Locale.ROOT);
            if (!format.equals("text") && !format.equals("json")) {
                throw new TypeConversionException(value + " (expected: text or json)");
            }
            return format;
        }
    }

    /**
     * Configures the logs for this format and {@code node} from the configuration logback read at start (the
     * distribution's conf/logback.xml); does nothing where logback is not the binding or found no file.
     */
    void apply(String node) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        URL config = LogFormatOption.class.getClassLoader().getResource("logback.xml");
        if (config == null) {
            return;
        }
        String current = context.getProperty(PROPERTY) != null ? context.getProperty(PROPERTY)
                : System.getenv(PROPERTY) != null ? System.getenv(PROPERTY).toLowerCase(Locale.ROOT) : "text";
        // Text lines carry no node: the configuration read at start stands unless the format changes.
        if (format.equals(current) && (format.equals("text") || node.equals(context.getProperty(NODE)))) {
            return;
        }
        context.reset();
        context.putProperty(PROPERTY, format);
        context.putProperty(NODE, node);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(config);
        } catch (JoranException e) {
            throw new IllegalStateException("logback could not read " + config + " again: " + e.getMessage(), e);
        }
    }
}
