/**
 * Files a run puts on the host: fetched from the master piece by piece into a temporary file,
 * checked against their SHA-256, then moved into place.
 */
package io.mschedule.agent.files;
