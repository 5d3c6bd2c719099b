/**
 * Starting script processes behind the {@link io.mschedule.agent.process.ProcessLauncher} SPI:
 * {@link io.mschedule.agent.process.LocalProcessLauncher} for real processes (own work directory,
 * own session and process group, tree-wide TERM and KILL), {@link
 * io.mschedule.agent.process.FakeProcessLauncher} for tests and development.
 */
package io.mschedule.agent.process;
