/**
 * The Prometheus metrics the MCP server and the MCP clients publish to CloudWatch, as upstream declares
 * them (names, types and labels: artefactual/archivematica 1.18 `src/archivematica/MCPServer/server/metrics.py`
 * and `src/archivematica/MCPClient/client/metrics.py`; the test fixtures under test/fixtures/metrics/
 * reproduce their `/metrics` text). A small allowlist: each name costs a CloudWatch custom metric per
 * stack, and everything else stays in the task (above all `environment_variables_info`, which the MCP
 * server fills with its whole environment, secrets included).
 */

/** A Prometheus metric family as upstream declares it; a counter's name carries its `_total`. */
export interface PublishedMetric {
    /** The family name as exposed (and the CloudWatch metric name). */
    name: string;
    type: "gauge" | "counter" | "histogram";
    /** Upstream's labels; the sidecar sums them away (CloudWatch keeps only stack and component). */
    labels: readonly string[];
    /** What the CloudWatch metric means once summed over the labels, per minute. */
    meaning: string;
}

/** Metric names the stack's scaling, alarms and dashboard use. */
export const METRIC = {
    /** Gearman jobs (batches of ≤ 128 tasks) submitted and not finished: queued in gearmand or running on a client. */
    gearmanActiveJobs: "mcpserver_gearman_active_jobs",
    /** Gearman jobs the MCP server is still filling before it submits them. */
    gearmanPendingJobs: "mcpserver_gearman_pending_jobs",
    /** Workflow jobs the MCP server is running (client jobs and its own). */
    activeJobs: "mcpserver_active_jobs",
    /** Jobs of active packages waiting for an MCP server worker thread. */
    packageJobQueue: "mcpserver_active_package_job_queue_length",
    /** Packages being processed. */
    activePackages: "mcpserver_active_packages",
    /** Packages waiting for a concurrent-package slot (all types). */
    packageQueue: "mcpserver_package_queue_length",
    /** Tasks the MCP server saw finish (success or failure). */
    tasksCompleted: "mcpserver_task_total",
    /** Tasks that failed. */
    tasksFailed: "mcpserver_task_error_total",
    /** Task duration as the MCP server measures it. */
    taskDuration: "mcpserver_task_duration_seconds",
    /** Jobs the MCP clients ran. */
    clientJobs: "mcpclient_job_total",
    /** Jobs that failed on the MCP clients. */
    clientJobErrors: "mcpclient_job_error_total",
    /** Execution time of a client job. */
    clientTaskTime: "mcpclient_task_execution_time_seconds",
    /** AIPs stored. */
    aipsStored: "mcpclient_aips_stored_total",
    /** 1 when the sidecar's last scrape of the component succeeded (the collector adds it to every scrape). */
    up: "up",
} as const;

/** The collector's own per-target metric: not in `/metrics`, always present in what it exports. */
const UP: PublishedMetric = { name: METRIC.up, type: "gauge", labels: [], meaning: "1 when the last scrape succeeded" };

/** What the MCP server publishes: the queue, the work in flight, completions and failures, task duration. */
export const MCP_SERVER_METRICS: readonly PublishedMetric[] = [
    { name: METRIC.gearmanActiveJobs, type: "gauge", labels: [], meaning: "gearman jobs queued in gearmand or running on a client" },
    { name: METRIC.gearmanPendingJobs, type: "gauge", labels: [], meaning: "gearman jobs being filled, not yet submitted" },
    { name: METRIC.activeJobs, type: "gauge", labels: [], meaning: "workflow jobs the MCP server is running" },
    { name: METRIC.packageJobQueue, type: "gauge", labels: [], meaning: "jobs of active packages waiting for a server thread" },
    { name: METRIC.activePackages, type: "gauge", labels: [], meaning: "packages being processed" },
    { name: METRIC.packageQueue, type: "gauge", labels: ["package_type"], meaning: "packages waiting for a slot (Transfer + SIP + DIP)" },
    { name: METRIC.tasksCompleted, type: "counter", labels: ["task_group_name", "task_name"], meaning: "tasks finished in the minute" },
    { name: METRIC.tasksFailed, type: "counter", labels: ["task_group_name", "task_name"], meaning: "tasks failed in the minute" },
    { name: METRIC.taskDuration, type: "histogram", labels: ["script_name"], meaning: "task duration (Average, SampleCount = tasks)" },
    UP,
];

/** What an MCP client publishes: jobs run and failed, their execution time, AIPs stored. */
export const MCP_CLIENT_METRICS: readonly PublishedMetric[] = [
    { name: METRIC.clientJobs, type: "counter", labels: ["script_name"], meaning: "jobs run in the minute" },
    { name: METRIC.clientJobErrors, type: "counter", labels: ["script_name"], meaning: "jobs failed in the minute" },
    {
        name: METRIC.clientTaskTime,
        type: "histogram",
        labels: ["script_name"],
        meaning: "job execution time (Average, SampleCount = jobs)",
    },
    { name: METRIC.aipsStored, type: "counter", labels: [], meaning: "AIPs stored in the minute" },
    UP,
];
