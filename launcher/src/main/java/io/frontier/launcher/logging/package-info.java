/** What conf/logback.xml names besides logback's own classes. */
package io.frontier.launcher.logging;
