/**
 * The control plane's meters: the API's calls by method and status, what became of each device's push,
 * calls to edges by edge and result, and the status store's latency and errors. Meters are made when the
 * part they watch starts; recording one is an increment of a meter held in a field or an array.
 */
package io.frontier.control.metrics;
