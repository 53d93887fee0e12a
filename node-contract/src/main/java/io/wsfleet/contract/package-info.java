/**
 * The contract between the operator and the server in each fleet pod, written once: the operator
 * writes and calls what these types name, ws-node reads and answers it, and docs/node-contract.md
 * explains it to a team bringing its own server image. JDK only, so any JVM server can use it.
 */
package io.wsfleet.contract;
