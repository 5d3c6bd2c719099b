/**
 * The zerorpc transport of mschedule: ZeroMQ (JeroMQ) plus MessagePack, wire-compatible with
 * zerorpc-python and zerorpc-node (protocol v3).
 *
 * <ul>
 *   <li>{@link io.mschedule.protocol.zerorpc.Event} and {@link
 *       io.mschedule.protocol.zerorpc.MessageId}: the {@code [header, name, args]} events, decoded
 *       from untrusted frames with bounded work and re-encoded byte for byte.
 *   <li>{@link io.mschedule.protocol.zerorpc.ZeroRpcServer}: the master's ROUTER endpoint. Calls go
 *       to a {@link io.mschedule.protocol.zerorpc.CallHandler}, which answers through a {@link
 *       io.mschedule.protocol.zerorpc.ServerCall} or turns it into a {@link
 *       io.mschedule.protocol.zerorpc.ServerStream}.
 *   <li>{@link io.mschedule.protocol.zerorpc.ZeroRpcClient}: the agent's DEALER side, with calls as
 *       futures and streams delivered to a {@link io.mschedule.protocol.zerorpc.StreamListener}.
 *   <li>CURVE encryption on both sides ({@link io.mschedule.protocol.zerorpc.CurveKeys}), with
 *       client keys checked by a {@link io.mschedule.protocol.zerorpc.CurveAuthenticator} (ZAP).
 * </ul>
 *
 * <p>Each side has one I/O thread that owns its socket; nothing else touches a JeroMQ socket. The
 * protocol as implemented: {@code docs/protocol.md} and the zerorpc notes it refers to.
 */
package io.mschedule.protocol.zerorpc;
