/**
 * Devices as listeners outside the edge see them: a {@code Session} (who, from where, close
 * it) and the {@code SessionListener} that hears of devices coming and going.
 */
package io.frontier.edge.session;
