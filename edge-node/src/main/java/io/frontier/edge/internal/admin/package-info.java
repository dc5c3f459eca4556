/**
 * What administrators ask of one edge: its connections page by page, counts, draining.
 */
package io.frontier.edge.internal.admin;
