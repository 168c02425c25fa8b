/** TCP ports that more than one part of the stack must agree on. */

/** NFS: what EFS mount targets answer on (EFS user guide, "Security groups for mount targets"). */
export const NFS_PORT = 2049;

/**
 * gunicorn in the dashboard and Storage Service images (upstream compose: both listen on 8000); the
 * load balancer's target groups and egress, and the two catalogue entries, use this one port.
 */
export const GUNICORN_PORT = 8000;
