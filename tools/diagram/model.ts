/**
 * The architecture picture's content, read from a plan: which nodes, in which layer, and which flows
 * between them. Pure (plan resources in, a sorted model out), so the picture is a function of the
 * plan's shape and the tests can check it without drawing.
 *
 * Nodes are the resources a newcomer needs to see (KEY_TYPES: services, load balancer, file system,
 * database, buckets, queues, functions, …) and the components that hold none of them (the smoke test,
 * the alarms, the network), each in the layer its component belongs to (LAYERS: the folders of
 * components/, read from the tree). IAM policies, security groups and their rules are not drawn; they are read for the
 * flows:
 * - a security-group ingress rule that names another group: caller → callee, with the port (each drawn
 *   resource that uses the caller's group: the two ingest functions share one), and "Cloud Map" where
 *   the caller is configured with the callee's Cloud Map name;
 * - an ingress rule from CIDR blocks on the load balancer's group: the staff's networks → the ALB;
 * - a task or function role's policy that names a bucket, queue, table or function: the task or function
 *   → it (API calls), less a queue that already triggers it;
 * - S3 replication, AWS Backup's selection, alarms and event rules to the topic, event source
 *   mappings, queue redrive to a dead-letter queue, bucket notifications, web ACL associations: the
 *   AWS-managed flows.
 * An EventBridge rule that routes events to a drawn queue or function (not an alarm's rule to the
 * topic) is a node of its own, between the resource its pattern names and its target. A schedule is a
 * line of the task or function it runs.
 */
import * as fs from "fs";
import * as path from "path";
import type { CostResource } from "../cost/pricing";

/** A planned resource as the diagram reads it (a recorded registration). */
export type PlanResource = CostResource & { parent?: string };

/** The layers, in the order they are drawn: the folders of components/ and their labels. */
const LAYER_FOLDERS: { id: string; label: string }[] = [
    { id: "platform", label: "Platform: network, ingress, ECS, discovery, images" },
    { id: "app", label: "Archivematica on ECS Fargate" },
    { id: "data", label: "Data: what the archive keeps and works on" },
    { id: "operations", label: "Operations: alarms, dashboard, backups" },
];

/** The component types a folder of components/ declares (`super("archivematica:index:<Type>", …)`), sorted. */
export function componentTypesIn(folder: string): string[] {
    const types = new Set<string>();
    const walk = (dir: string): void => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            const file = path.join(dir, entry.name);
            if (entry.isDirectory()) walk(file);
            else if (entry.name.endsWith(".ts"))
                for (const m of fs.readFileSync(file, "utf8").matchAll(/super\(\s*"archivematica:index:(\w+)"/g)) types.add(m[1]);
        }
    };
    walk(folder);
    return [...types].sort();
}

/**
 * The layers with the component types in each, read from the tree (components/<layer>/), so that a new
 * component is drawn in its folder's layer without an edit here.
 */
export const LAYERS: { id: string; label: string; components: string[] }[] = LAYER_FOLDERS.map((l) => ({
    ...l,
    components: componentTypesIn(path.join(__dirname, "..", "..", "components", l.id)),
}));

/** Where a component type not in {@link LAYERS} goes (the structural test keeps it empty). */
export const OTHER_LAYER = { id: "other", label: "Not yet in a layer (add the component type to tools/diagram/model.ts LAYERS)" };

/** The resource types drawn as nodes of their own. */
export const KEY_TYPES = [
    "aws:ecs/service:Service",
    "aws:lb/loadBalancer:LoadBalancer",
    "aws:efs/fileSystem:FileSystem",
    "aws:rds/instance:Instance",
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketV2:BucketV2",
    "aws:elasticache/replicationGroup:ReplicationGroup",
    "aws:opensearch/domain:Domain",
    "aws:sns/topic:Topic",
    "aws:backup/vault:Vault",
    "aws:cloudwatch/dashboard:Dashboard",
    "aws:lambda/function:Function",
    "aws:sqs/queue:Queue",
    "aws:dynamodb/table:Table",
    "aws:wafv2/webAcl:WebAcl",
    "aws:cognito/userPool:UserPool",
];

/** What a node stands for, for its shape in the picture. */
export type NodeKind = "external" | "service" | "task" | "edge" | "store" | "bucket" | "queue" | "event" | "function" | "ops" | "platform";

export interface DiagramNode {
    id: string;
    label: string;
    kind: NodeKind;
    layer: string;
    /** The group (a component drawn as several nodes: the ingest pipeline) it is drawn in, if any. */
    group?: string;
}

/** How a flow happens: a network connection a security group allows, an API call IAM allows, or a flow AWS runs. */
export type FlowKind = "network" | "api" | "managed";

export interface DiagramEdge {
    from: string;
    to: string;
    label: string;
    kind: FlowKind;
}

export interface DiagramModel {
    title: string;
    layers: { id: string; label: string }[];
    /** Components drawn as three or more nodes of different kinds (a pipeline), each drawn as a box of its own. */
    groups: { id: string; label: string; layer: string }[];
    nodes: DiagramNode[];
    edges: DiagramEdge[];
}

/** Port names for the edge labels. */
const PORTS: Record<number, string> = {
    80: "HTTP",
    443: "HTTPS",
    2049: "NFS",
    3306: "MySQL",
    3310: "clamd",
    4730: "gearman",
    6379: "Redis",
    7999: "metrics",
    8000: "HTTP",
    9200: "Elasticsearch",
};

/** The box labels of components drawn as several nodes (others: their name). */
const GROUP_LABELS: Record<string, string> = { Ingest: "Hands-off ingest: one upload, one transfer" };

const ENGINE_NAMES: Record<string, string> = { mysql: "MySQL", postgres: "PostgreSQL", mariadb: "MariaDB" };

function portLabel(port: unknown): string {
    const n = typeof port === "number" ? port : Number(port);
    return Number.isFinite(n) ? `${PORTS[n] ?? "TCP"} ${n}` : "TCP";
}

function componentName(type: string): string | undefined {
    return /^archivematica:index:(.+)$/.exec(type)?.[1];
}

function layerOf(componentType: string | undefined): string {
    const name = componentType ? componentName(componentType) : undefined;
    return LAYERS.find((l) => name && l.components.includes(name))?.id ?? OTHER_LAYER.id;
}

function tags(r: PlanResource): Record<string, unknown> {
    const t = r.inputs.tags;
    return t && typeof t === "object" ? (t as Record<string, unknown>) : {};
}

function num(v: unknown): number | undefined {
    const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
    return Number.isFinite(n) ? n : undefined;
}

/** A JSON input (an event pattern, a redrive policy) as an object, or `{}`. */
function json(v: unknown): Record<string, unknown> {
    if (typeof v !== "string") return v && typeof v === "object" ? (v as Record<string, unknown>) : {};
    try {
        const parsed: unknown = JSON.parse(v);
        return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
    } catch {
        return {};
    }
}

/** `rate(5 minutes)` as "every 5 minutes", `rate(1 day)` as "every day"; other expressions as written. */
function scheduleText(expression: string): string {
    const m = /^rate\((\d+) (\w+?)s?\)$/.exec(expression);
    if (!m) return expression;
    return m[1] === "1" ? `every ${m[2]}` : `every ${m[1]} ${m[2]}s`;
}

/** Seconds as days or hours, for a queue's retention. */
function duration(seconds: number | undefined): string {
    if (seconds === undefined) return "";
    return seconds % 86400 === 0 ? `${seconds / 86400} days` : `${Math.round(seconds / 3600)} hours`;
}

/** Whose events a rule matches, from its pattern's source: "S3 events". */
function sourceText(pattern: unknown): string {
    const source = json(pattern).source;
    const name = Array.isArray(source) && typeof source[0] === "string" ? /^aws\.(\w+)$/.exec(source[0])?.[1] : undefined;
    return name ? `${name.toUpperCase()} events` : "events";
}

/** What an event rule matches, from its pattern: "Object Created, except feedback/". */
function patternText(pattern: unknown): string {
    const p = json(pattern);
    const types = Array.isArray(p["detail-type"]) ? (p["detail-type"] as unknown[]).map(String).join(", ") : "events";
    const key = (json(json(p.detail).object).key ?? []) as unknown[];
    const except = (Array.isArray(key) ? key : [])
        .map((k) => json(json(k)["anything-but"]).prefix)
        .filter((x): x is string => typeof x === "string");
    return except.length ? `${types}, except ${except.join(", ")}` : types;
}

/** The short name of a resource within the stack: its logical name less the cluster's prefix. */
function shortName(r: PlanResource, prefix: string): string {
    return r.name.startsWith(`${prefix}-`) ? r.name.slice(prefix.length + 1) : r.name;
}

/** Builds the model of a plan (the resources as recorded, in any order). */
export function diagramModel(resources: PlanResource[], title: string): DiagramModel {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const children = new Map<string, PlanResource[]>();
    for (const r of resources) if (r.parent) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
    const root = resources.find((r) => r.type === "archivematica:index:ArchivematicaCluster");
    const prefix = root?.name ?? "";
    const componentOf = (r: PlanResource): PlanResource | undefined => {
        let p = r.parent ? byUrn.get(r.parent) : undefined;
        while (p && !componentName(p.type)) p = p.parent ? byUrn.get(p.parent) : undefined;
        return p;
    };
    const descendants = (urn: string): PlanResource[] => (children.get(urn) ?? []).flatMap((c) => [c, ...descendants(c.urn)]);
    const isKey = (r: PlanResource) => KEY_TYPES.includes(r.type);

    const nodes = new Map<string, DiagramNode>();
    const taskDefinitionOf = (service: PlanResource) =>
        (service.propertyDependencies?.taskDefinition ?? [])
            .map((u) => byUrn.get(u))
            .find((t) => t?.type === "aws:ecs/taskDefinition:TaskDefinition");
    const scaling = (service: PlanResource) =>
        resources.find(
            (t) =>
                t.type === "aws:appautoscaling/target:Target" &&
                String(t.inputs.resourceId ?? "").endsWith(`/${String(service.inputs.name ?? service.name)}`),
        );

    /** Queues that another queue's redrive policy names. */
    const deadLetterQueues = new Set(
        resources.filter((q) => q.type === "aws:sqs/queue:Queue").flatMap((q) => q.propertyDependencies?.redrivePolicy ?? []),
    );

    const labelOf = (r: PlanResource): { label: string; kind: NodeKind } => {
        const owner = componentOf(r);
        const ownerName = owner ? shortName(owner, prefix) : r.name;
        switch (r.type) {
            case "aws:ecs/service:Service": {
                const td = taskDefinitionOf(r);
                const cpu = num(td?.inputs.cpu);
                const memory = num(td?.inputs.memory);
                const target = scaling(r);
                const count = target
                    ? `${num(target.inputs.minCapacity)}–${num(target.inputs.maxCapacity)} tasks, autoscaled`
                    : `${num(r.inputs.desiredCount) ?? 1} task`;
                const size = cpu !== undefined && memory !== undefined ? ` · ${cpu / 1024} vCPU, ${memory / 1024} GB` : "";
                return { label: `${String(tags(r).ArchivematicaComponent ?? ownerName)}\n${count}${size}`, kind: "service" };
            }
            case "aws:lb/loadBalancer:LoadBalancer":
                return {
                    label: `Application Load Balancer\n${r.inputs.internal === true ? "internal" : "internet-facing"}, HTTPS`,
                    kind: "edge",
                };
            case "aws:efs/fileSystem:FileSystem":
                return { label: `EFS shared directory\n${String(r.inputs.throughputMode ?? "bursting")} throughput`, kind: "store" };
            case "aws:rds/instance:Instance":
                return {
                    label: `RDS ${ENGINE_NAMES[String(r.inputs.engine)] ?? String(r.inputs.engine ?? "")} ${String(r.inputs.engineVersion ?? "")}\n${String(r.inputs.instanceClass ?? "")}${r.inputs.multiAz === true ? ", Multi-AZ" : ""}`,
                    kind: "store",
                };
            case "aws:s3/bucket:Bucket":
            case "aws:s3/bucketV2:BucketV2": {
                const role = String(tags(r).ArchivalStore ?? shortName(r, prefix));
                const region = typeof r.inputs.region === "string" ? `\nin ${r.inputs.region}` : "";
                return { label: `S3: ${role}${region}`, kind: "bucket" };
            }
            case "aws:elasticache/replicationGroup:ReplicationGroup":
                return { label: "ElastiCache Redis\n(gearmand queue)", kind: "store" };
            case "aws:opensearch/domain:Domain":
                return { label: "OpenSearch domain", kind: "store" };
            case "aws:sns/topic:Topic":
                return { label: "SNS alarm topic", kind: "ops" };
            case "aws:backup/vault:Vault":
                return { label: "AWS Backup vault", kind: "ops" };
            case "aws:cloudwatch/dashboard:Dashboard":
                return { label: "CloudWatch dashboard", kind: "ops" };
            case "aws:lambda/function:Function": {
                // "Archivematica hands-off ingest: starts one transfer per uploaded package": what it does.
                const does = /:\s*(.+)$/.exec(String(r.inputs.description ?? ""))?.[1];
                return { label: `Lambda: ${shortName(r, prefix).replace(/-function$/, "")}${does ? `\n${does}` : ""}`, kind: "function" };
            }
            case "aws:sqs/queue:Queue": {
                const kept = duration(num(r.inputs.messageRetentionSeconds));
                const what = deadLetterQueues.has(r.urn) ? "SQS dead-letter queue" : "SQS queue";
                return { label: `${what}\n${shortName(r, prefix)}${kept ? `, kept ${kept}` : ""}`, kind: "queue" };
            }
            case "aws:dynamodb/table:Table": {
                const key = [r.inputs.hashKey, r.inputs.rangeKey].filter((k) => typeof k === "string").join(" + ");
                return { label: `DynamoDB: ${shortName(r, prefix)}${key ? `\none item per ${key}` : ""}`, kind: "store" };
            }
            case "aws:cloudwatch/eventRule:EventRule":
                return { label: `EventBridge rule\n${patternText(r.inputs.eventPattern)}`, kind: "event" };
            case "aws:wafv2/webAcl:WebAcl":
                return { label: "AWS WAF web ACL", kind: "edge" };
            case "aws:cognito/userPool:UserPool":
                return { label: "Cognito user pool", kind: "edge" };
            default:
                return { label: shortName(r, prefix), kind: "platform" };
        }
    };

    /** Component nodes: components holding no key resource (and at least one resource). */
    const componentLabel = (c: PlanResource): { label: string; kind: NodeKind } => {
        const inside = descendants(c.urn);
        const count = (type: string) => inside.filter((x) => x.type === type).length;
        switch (componentName(c.type)) {
            case "Network": {
                const azs = count("aws:ec2/subnet:Subnet") / 2;
                return {
                    label: `VPC\n${azs} AZs, ${count("aws:ec2/natGateway:NatGateway")} NAT gateway${count("aws:ec2/natGateway:NatGateway") === 1 ? "" : "s"}, flow logs`,
                    kind: "platform",
                };
            }
            case "EcsCluster":
                return { label: "ECS cluster\nFargate, Container Insights", kind: "platform" };
            case "ServiceDiscovery":
                return { label: "Cloud Map\nprivate DNS for the services", kind: "platform" };
            case "ImageRegistry":
                return { label: "ECR pull-through cache\n(Docker Hub images)", kind: "platform" };
            case "Search":
                return { label: "Search: external Elasticsearch 8\n(URL with credentials in Secrets Manager)", kind: "platform" };
            case "SmokeTest":
                return { label: "smoke transfer\none-off task, scheduled", kind: "task" };
            case "Alarms":
                return {
                    label: `CloudWatch alarms\n${count("aws:cloudwatch/metricAlarm:MetricAlarm")} alarms, ${count("aws:cloudwatch/eventRule:EventRule")} event rules`,
                    kind: "ops",
                };
            case "Fixity":
                return { label: "fixity check\none-off task, scheduled", kind: "task" };
            case "IngestAlarms":
                return {
                    label: `Ingest and fixity alarms\n${count("aws:cloudwatch/metricAlarm:MetricAlarm")} alarms`,
                    kind: "ops",
                };
            case "ProcessingAlarms":
                return {
                    label: `Processing alarms\n${count("aws:cloudwatch/metricAlarm:MetricAlarm")} alarms on Archivematica's metrics`,
                    kind: "ops",
                };
            default:
                return { label: shortName(c, prefix), kind: "platform" };
        }
    };

    /** An event rule's targets (their resources). */
    const targetsOf = (rule: PlanResource) =>
        resources
            .filter((t) => t.type === "aws:cloudwatch/eventTarget:EventTarget" && (t.propertyDependencies?.rule ?? []).includes(rule.urn))
            .flatMap((t) => (t.propertyDependencies?.arn ?? []).map((u) => byUrn.get(u)))
            .filter((x): x is PlanResource => !!x);
    /** A rule that routes events to a drawn queue or function (an alarm's rule to the topic is not). */
    const isRouting = (r: PlanResource) =>
        r.type === "aws:cloudwatch/eventRule:EventRule" &&
        targetsOf(r).some((t) => t.type === "aws:sqs/queue:Queue" || t.type === "aws:lambda/function:Function");
    for (const r of resources) {
        if (isKey(r) || isRouting(r)) {
            const { label, kind } = labelOf(r);
            nodes.set(r.urn, { id: r.urn, label, kind, layer: layerOf(componentOf(r)?.type) });
        }
    }
    for (const c of resources) {
        if (!componentName(c.type) || c === root) continue;
        // A component inside another (an ArchivematicaService's queue scaling) is part of its owner's node.
        const owner = componentOf(c);
        if (owner && owner !== root) continue;
        const inside = descendants(c.urn);
        if (!inside.some((x) => x.custom) || inside.some(isKey)) continue;
        const { label, kind } = componentLabel(c);
        nodes.set(c.urn, { id: c.urn, label, kind, layer: layerOf(c.type) });
    }

    /**
     * The node a resource stands under: itself; the one drawn resource of its component that refers to
     * it (the load balancer to its security group); its component's one drawn resource; or its component.
     */
    const ownerNode = (r: PlanResource | undefined): string | undefined => {
        if (!r) return undefined;
        if (nodes.has(r.urn)) return r.urn;
        const siblings = r.parent ? (children.get(r.parent) ?? []).filter((x) => nodes.has(x.urn)) : [];
        const users = siblings.filter((x) => Object.values(x.propertyDependencies ?? {}).some((urns) => urns.includes(r.urn)));
        if (users.length === 1) return users[0].urn;
        let c = componentOf(r);
        while (c) {
            const keys = (children.get(c.urn) ?? []).filter((x) => nodes.has(x.urn));
            if (keys.length === 1) return keys[0].urn;
            if (nodes.has(c.urn)) return c.urn;
            c = componentOf(c);
        }
        return undefined;
    };
    const dep = (r: PlanResource, property: string) =>
        (r.propertyDependencies?.[property] ?? []).map((u) => byUrn.get(u)).filter((x): x is PlanResource => !!x);

    const edges = new Map<string, DiagramEdge>();
    const addEdge = (from: string | undefined, to: string | undefined, label: string, kind: FlowKind) => {
        if (!from || !to || from === to) return;
        const key = `${from}→${to}→${kind}`;
        const existing = edges.get(key);
        if (!existing) edges.set(key, { from, to, label, kind });
        else if (!existing.label.split(", ").includes(label)) existing.label = [...existing.label.split(", "), label].sort().join(", ");
    };

    /** The drawn resources that use a resource (a security group two functions share), or its owner node. */
    const usersOf = (r: PlanResource | undefined): string[] => {
        const users = (r?.parent ? (children.get(r.parent) ?? []) : []).filter(
            (x) => nodes.has(x.urn) && Object.values(x.propertyDependencies ?? {}).some((urns) => urns.includes(r!.urn)),
        );
        if (users.length > 1) return users.map((x) => x.urn);
        const owner = ownerNode(r);
        return owner ? [owner] : [];
    };
    /** The host names a service is found by (Cloud Map: `<service>.<namespace>`). */
    const discoveryHosts = (node: string): string[] =>
        (byUrn.get(node)?.parent ? (children.get(byUrn.get(node)!.parent!) ?? []) : [])
            .filter((x) => x.type === "aws:servicediscovery/service:Service")
            .flatMap((x) => dep(x, "dnsConfig").map((ns) => `${String(x.inputs.name)}.${String(ns.inputs.name)}`));
    /**
     * Whether a caller is configured with one of the callee's Cloud Map names: in its environment, its
     * task definition's containers, or (a component drawn as one node) its task definitions' and functions'.
     */
    const findsByCloudMap = (caller: string, callee: string): boolean => {
        const r = byUrn.get(caller);
        if (!r) return false;
        const parts = componentName(r.type)
            ? descendants(r.urn).filter(
                  (x) => x.type === "aws:ecs/taskDefinition:TaskDefinition" || x.type === "aws:lambda/function:Function",
              )
            : [r, taskDefinitionOf(r)];
        const config = JSON.stringify(parts.map((x) => [x?.inputs.environment, x?.inputs.containerDefinitions]));
        return discoveryHosts(callee).some((host) => config.includes(host));
    };
    /** The drawn resource whose role a role policy is attached to (a function), else the policy's owner. */
    const roleUser = (policy: PlanResource): string | undefined => {
        const roles = new Set(policy.propertyDependencies?.role ?? []);
        const users = resources.filter((x) => nodes.has(x.urn) && (x.propertyDependencies?.role ?? []).some((u) => roles.has(u)));
        return users.length === 1 ? users[0].urn : ownerNode(policy);
    };

    const STAFF = "external:staff";
    for (const r of resources) {
        if (r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule") {
            const callee = ownerNode(dep(r, "securityGroupId")[0]);
            const callers = dep(r, "referencedSecurityGroupId").length ? usersOf(dep(r, "referencedSecurityGroupId")[0]) : [];
            for (const caller of callers)
                addEdge(
                    caller,
                    callee,
                    `${portLabel(r.inputs.fromPort)}${callee && findsByCloudMap(caller, callee) ? " · Cloud Map" : ""}`,
                    "network",
                );
            if (!callers.length && typeof r.inputs.cidrIpv4 === "string" && callee && nodes.get(callee)?.kind === "edge") {
                nodes.set(STAFF, { id: STAFF, label: "Staff browsers\n(allowed networks)", kind: "external", layer: "" });
                addEdge(STAFF, callee, portLabel(r.inputs.fromPort), "network");
            }
        }
        if (r.type === "aws:iam/rolePolicy:RolePolicy" && !/-execution-policy$/.test(r.name)) {
            const caller = roleUser(r);
            for (const target of dep(r, "policy")) {
                if (!isKey(target) || !["bucket", "queue", "function", "store"].includes(labelOf(target).kind)) continue;
                if (target.type === "aws:efs/fileSystem:FileSystem") continue; // mounts: the NFS rule draws it
                addEdge(caller, target.urn, apiLabel(target.type), "api");
            }
        }
        if (r.type === "aws:lb/loadBalancer:LoadBalancer") {
            for (const b of dep(r, "accessLogs")) if (nodes.has(b.urn)) addEdge(r.urn, b.urn, "access logs", "managed");
        }
        if (r.type === "aws:s3/bucketReplicationConfig:BucketReplicationConfig") {
            const to = dep(r, "rules").find((b) => b.type.startsWith("aws:s3/bucket"));
            addEdge(ownerNode(dep(r, "bucket")[0]), to?.urn, "replication", "managed");
        }
        if (r.type === "aws:backup/selection:Selection") {
            const vault = nodes.get(ownerNode(r) ?? "");
            for (const target of dep(r, "resources")) addEdge(target.urn, vault?.id, "daily backup", "managed");
        }
        if (r.type === "aws:cloudwatch/metricAlarm:MetricAlarm" || r.type === "aws:cloudwatch/eventTarget:EventTarget") {
            const topic = [...dep(r, "alarmActions"), ...dep(r, "arn")].find((t) => t.type === "aws:sns/topic:Topic");
            if (topic) addEdge(ownerNode(r), topic.urn, "notifies", "managed");
        }
        if (r.type === "aws:cloudwatch/eventTarget:EventTarget") {
            const rule = dep(r, "rule").find((x) => nodes.has(x.urn));
            for (const t of dep(r, "arn")) if (rule && nodes.has(t.urn)) addEdge(rule.urn, t.urn, "event", "managed");
        }
        if (isRouting(r)) {
            // The drawn resources its pattern names (the bucket whose objects it matches).
            for (const source of dep(r, "eventPattern"))
                if (nodes.has(source.urn)) addEdge(source.urn, r.urn, sourceText(r.inputs.eventPattern), "managed");
        }
        if (r.type === "aws:sqs/queue:Queue") {
            const receives = num(json(r.inputs.redrivePolicy).maxReceiveCount);
            for (const dlq of dep(r, "redrivePolicy"))
                addEdge(r.urn, dlq.urn, receives === undefined ? "redrive" : `after ${receives} failed receives`, "managed");
        }
        if (r.type === "aws:lambda/eventSourceMapping:EventSourceMapping") {
            const batch = num(r.inputs.batchSize);
            const most = num(json(r.inputs.scalingConfig).maximumConcurrency);
            const how = [batch === undefined ? undefined : `batch of ${batch}`, most ? `at most ${most} at once` : undefined].filter(
                Boolean,
            );
            addEdge(
                ownerNode(dep(r, "eventSourceArn")[0]),
                ownerNode(dep(r, "functionName")[0]),
                ["triggers", ...how].join("\n"),
                "managed",
            );
        }
        if (r.type === "aws:s3/bucketNotification:BucketNotification") {
            const source = ownerNode(dep(r, "bucket")[0]);
            for (const property of ["queues", "lambdaFunctions", "topics"])
                for (const t of dep(r, property)) if (nodes.has(t.urn)) addEdge(source, t.urn, "object created", "managed");
        }
        if (r.type === "aws:wafv2/webAclAssociation:WebAclAssociation") {
            addEdge(ownerNode(dep(r, "webAclArn")[0]), ownerNode(dep(r, "resourceArn")[0]), "filters", "managed");
        }
        if (r.type === "aws:scheduler/schedule:Schedule") {
            // The function it invokes, else the one-off task of its component.
            const fn = dep(r, "target").find((t) => nodes.get(t.urn)?.kind === "function");
            const runs = fn ? nodes.get(fn.urn) : nodes.get(ownerNode(r) ?? "");
            const when = scheduleText(String(r.inputs.scheduleExpression ?? ""));
            if (runs && fn) runs.label = `${runs.label}\n${when}`;
            else if (runs?.kind === "task") runs.label = runs.label.replace(/scheduled$/, when);
        }
    }
    // A queue that triggers a function is its input already: its API edge (receive, delete) adds nothing.
    for (const [key, e] of edges)
        if (e.kind === "api" && [...edges.values()].some((t) => t.kind === "managed" && t.from === e.to && t.to === e.from))
            edges.delete(key);

    // A component drawn as several nodes is boxed, so that its parts read as one thing.
    const groups: DiagramModel["groups"] = [];
    for (const c of resources.filter((x) => componentName(x.type) && x !== root && componentOf(x) === root)) {
        const members = [...nodes.values()].filter((n) => byUrn.get(n.id) && componentOf(byUrn.get(n.id)!) === c);
        // A pipeline: three or more parts of different kinds (not the archive's buckets, not a load balancer and its logs).
        if (members.length < 3 || new Set(members.map((n) => n.kind)).size < 2) continue;
        groups.push({ id: c.urn, label: GROUP_LABELS[componentName(c.type)!] ?? shortName(c, prefix), layer: layerOf(c.type) });
        for (const n of members) n.group = c.urn;
    }

    const layerIds = new Set([...nodes.values()].map((n) => n.layer));
    return {
        title,
        layers: [...LAYERS, OTHER_LAYER].filter((l) => layerIds.has(l.id)).map(({ id, label }) => ({ id, label })),
        groups: groups.sort((a, b) => a.id.localeCompare(b.id)),
        nodes: [...nodes.values()].sort((a, b) => a.id.localeCompare(b.id)),
        edges: [...edges.values()].sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to) || a.kind.localeCompare(b.kind)),
    };
}

function apiLabel(type: string): string {
    if (type.startsWith("aws:s3/")) return "S3 API";
    if (type.startsWith("aws:sqs/")) return "SQS";
    if (type.startsWith("aws:dynamodb/")) return "DynamoDB";
    if (type.startsWith("aws:lambda/")) return "invoke";
    return "API";
}
