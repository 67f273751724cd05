/**
 * How nodes reach each other: gossip over mutual TLS ({@link
 * io.inlet.cluster.transport.TlsTransportFactory}) with the cluster's certificates ({@link
 * io.inlet.cluster.transport.ClusterTls}).
 */
package io.inlet.cluster.transport;
