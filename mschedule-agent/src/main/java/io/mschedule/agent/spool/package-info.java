/**
 * The on-disk spool of run results not yet acknowledged by the master ({@link
 * io.mschedule.agent.spool.ResultSpool}).
 */
package io.mschedule.agent.spool;
