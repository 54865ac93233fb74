/**
 * JMH micro-benchmarks of the request path's pure computations (bench/jmh-bench.sh): the SIP
 * parser and encoder, digest authentication and (in org.parley.presence) the presence composer.
 */
package org.parley.bench;
