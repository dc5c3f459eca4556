/**
 * Where devices' upstream requests go: a service id's backend ({@code Route}) and the table
 * of them, which cluster mode replaces at run time.
 */
package io.frontier.edge.routing;
