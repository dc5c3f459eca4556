/**
 * What devices and nodes agree on outside protobuf: status codes and connection ids.
 */
package io.frontier.protocol;
