/**
 * Messages kept for a device until it acknowledges them or their time to live passes (PROTOCOL.md 5): a queue per
 * device, in the order the gateway accepted them, bounded per device and in all, behind {@link
 * io.frontier.status.pending.PendingStore}, with one implementation per status store.
 */
package io.frontier.status.pending;
