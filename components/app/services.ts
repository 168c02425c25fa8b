/**
 * The six Archivematica services and everything between them: generated application secrets, the
 * Cloud Map namespace, one ArchivematicaService per catalogue entry, the security-group rules between
 * the services and to the data stores, and the ops outputs (names, ECS Exec and manage.py commands).
 *
 * ArchivematicaCluster calls `createServices(name, this, deps)` once the data stores and the ALB exist.
 */
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { ArchivematicaService, ArchivematicaServiceArgs } from "./service";
import {
    CATALOGUE,
    CatalogueContext,
    COMPONENTS,
    ComponentName,
    ComponentService,
    creationOrder,
    resolveComponent,
    SecretName,
    VERSIONS,
} from "./catalogue";
import type { AppSignIn } from "./catalogue/sign-in";
import type {
    ArchivalStorageOutputs,
    DatabaseOutputs,
    EcsClusterOutputs,
    IngressOutputs,
    NetworkOutputs,
    QueueCacheOutputs,
    SearchOutputs,
    SharedStorageOutputs,
} from "../interfaces";
import { ServiceDiscovery } from "../platform/service-discovery";
import { NFS_PORT } from "../../lib/ports";
import { mergeTags } from "../../lib/tags";
import { DEFAULT_LOG_RETENTION_DAYS } from "../../lib/cloudwatch-logs";
import type { ProcessingSchedule } from "../../lib/processing-schedule";
import { COLLECTOR_IMAGE } from "./metrics-collector";
import { imagePull, ImageResolver } from "./image-pull";

/** MCP client scaling and workers. */
export interface McpClientArgs {
    /** MCP client tasks at deploy time. @default 0 */
    desiredCount?: number;
    /** Fewest MCP client tasks queue scaling may leave (0: none while idle). @default 0 */
    minCount?: number;
    /** Most MCP client tasks queue scaling may start (at most 20). @default 5 */
    maxCount?: number;
    /**
     * Processing hours (in `timeZone`): no MCP client outside them.
     * @default none (always)
     */
    processingSchedule?: ProcessingSchedule;
    /** Worker processes per MCP client task (ARCHIVEMATICA_MCPCLIENT_WORKERS). @default 2 */
    workers?: number;
    /** Jobs a worker runs before it is replaced (ARCHIVEMATICA_MCPCLIENT_MAX_TASKS_PER_CHILD). @default 10 */
    maxTasksPerChild?: number;
}

/** The administrator and organisation the bootstrap creates. */
export interface BootstrapArgs {
    /** Name of the dashboard and Storage Service administrator. @default "admin" */
    adminUsername?: string;
    /** E-mail of the administrator. */
    adminEmail: string;
    /** Organisation name given to the dashboard installer. */
    organisationName: string;
    /** Short organisation identifier given to the dashboard installer. */
    organisationId: string;
}

/** What createServices needs: its own settings and the other parts of the cluster. */
export interface ServicesArgs {
    /**
     * The stack's environment: part of every task family and log-group name (account-wide) and of the
     * default namespace.
     * @example "staging"
     */
    environment: string;
    /** AWS region of the services (log configuration, ECS Exec commands). */
    region: string;
    /** Required tags (Project, Environment, Owner, CostCentre, …) merged onto every child. */
    tags: Record<string, string>;
    /** Retention of the services' log groups (days). @default 30 */
    logRetentionDays?: number;
    /** Archivematica release: selects the catalogue's images, settings modules and manage.py. @default "1.18" */
    archivematicaVersion?: CatalogueContext["version"];
    /** Task sizes from the catalogue: `small` (staging) or `large` (production). @default "small" */
    sizeProfile?: CatalogueContext["sizeProfile"];
    /**
     * Image overrides by component (a Docker Hub reference or a full image URI).
     * @default {} (the catalogue's images for `archivematicaVersion`)
     */
    images?: Partial<Record<string, string>>;
    /**
     * Fargate capacity of the services, unless a component insists (the singletons run on-demand).
     * @default "FARGATE"
     */
    capacityProvider?: "FARGATE" | "FARGATE_SPOT";
    /** Largest transfer expected (GiB): sizes the scratch storage of the Storage Service and MCP clients. @default 20 */
    maxTransferSizeGiB?: number;
    /** MCP client scaling and workers. @default each field's own default */
    mcpClient?: McpClientArgs;
    /** Public host names of the dashboard and the Storage Service (Django's allowed hosts, the bootstrap's URLs). */
    hostnames: { dashboard: string; storageService: string };
    /** The administrator and organisation the bootstrap creates. */
    bootstrap: BootstrapArgs;
    /** Time zone of the Storage Service (IANA name). @default "UTC" */
    timeZone?: string;
    /**
     * Processing configurations hands-off ingest accepts: the dashboard's bootstrap makes a transfer
     * source location for each (`<name>/` on the transfer bucket).
     * @default [] (none)
     */
    ingestConfigs?: string[];
    network: NetworkOutputs;
    /**
     * The ECS cluster. With `execLogGroupName` (the log group of the cluster's ECS Exec configuration)
     * the task roles may write Exec transcripts there.
     */
    cluster: EcsClusterOutputs & {
        execLogGroupName?: pulumi.Input<string>;
        /** The cluster's capacity providers: every service is created after them. */
        capacityProviders?: pulumi.Resource;
    };
    /** With `mountTargets`, every service that mounts EFS is created after them. */
    storage: SharedStorageOutputs & { mountTargets?: pulumi.Resource[] };
    database: DatabaseOutputs;
    search: SearchOutputs;
    /**
     * Redis for gearmand's queue.
     * @default none (gearmand keeps its queue in memory: `--queue-type=builtin`)
     */
    queue?: QueueCacheOutputs;
    /** The archive's S3 buckets, which the Storage Service's locations use. */
    archivalStorage: ArchivalStorageOutputs;
    /** With `listenerRules`, each load-balanced service is created after the rule of its target group. */
    ingress: IngressOutputs & { listenerRules?: Record<"dashboard" | "storage-service", pulumi.Resource> };
    /**
     * Where the images come from (an `ImageRegistry`): each container's image becomes
     * `registry.imageUri(<Docker Hub reference>)` and each execution role gets exactly
     * `registry.pullStatements(<its images>)`. An image override that already names a registry host
     * (`registry.example.org/am/dashboard:v1.18.1`) is pulled as it is.
     * @default none (the Docker Hub references, pulled anonymously)
     */
    registry?: ImageResolver;
    /**
     * The apps' single sign-on (components/sign-in.ts `appSignIns`): each app's OIDC settings and the
     * Secrets Manager ARNs of their client secrets.
     * @default none (local passwords: today's environment)
     */
    signIn?: {
        apps: { dashboard?: AppSignIn; "storage-service"?: AppSignIn };
        secretArns: { dashboardOidcClientSecret?: pulumi.Input<string>; storageServiceOidcClientSecret?: pulumi.Input<string> };
    };
    /**
     * Private DNS namespace of the services.
     * @default `${environment}.archivematica.internal` (unique per stack, so stacks can share a VPC)
     */
    namespace?: string;
}

/** {@link ServicesArgs} with every default applied. */
type ResolvedServicesArgs = ServicesArgs &
    Required<
        Pick<
            ServicesArgs,
            | "logRetentionDays"
            | "archivematicaVersion"
            | "sizeProfile"
            | "images"
            | "capacityProvider"
            | "maxTransferSizeGiB"
            | "timeZone"
            | "namespace"
        >
    > & {
        mcpClient: Required<Omit<McpClientArgs, "processingSchedule">> & Pick<McpClientArgs, "processingSchedule">;
        bootstrap: Required<BootstrapArgs>;
    };

/** The defaults of {@link ServicesArgs}: the same as the stack config's (config/schema.ts; a test checks). */
export const SERVICES_DEFAULTS = {
    logRetentionDays: DEFAULT_LOG_RETENTION_DAYS,
    archivematicaVersion: "1.18",
    sizeProfile: "small",
    images: {},
    capacityProvider: "FARGATE",
    maxTransferSizeGiB: 20,
    mcpClient: { desiredCount: 0, minCount: 0, maxCount: 5, workers: 2, maxTasksPerChild: 10 },
    adminUsername: "admin",
    timeZone: "UTC",
} as const;

function withDefaults(args: ServicesArgs): ResolvedServicesArgs {
    const d = SERVICES_DEFAULTS;
    return {
        ...args,
        logRetentionDays: args.logRetentionDays ?? d.logRetentionDays,
        archivematicaVersion: args.archivematicaVersion ?? d.archivematicaVersion,
        sizeProfile: args.sizeProfile ?? d.sizeProfile,
        images: args.images ?? d.images,
        capacityProvider: args.capacityProvider ?? d.capacityProvider,
        maxTransferSizeGiB: args.maxTransferSizeGiB ?? d.maxTransferSizeGiB,
        mcpClient: { ...d.mcpClient, ...args.mcpClient },
        bootstrap: { adminUsername: d.adminUsername, ...args.bootstrap },
        timeZone: args.timeZone ?? d.timeZone,
        namespace: args.namespace ?? `${args.environment}.archivematica.internal`,
    };
}

/** The generated credentials, as Secrets Manager ARNs (never values). */
export interface AdminSecretArns {
    /** Password of the dashboard and Storage Service administrator (`bootstrap.adminUsername`). */
    adminPassword: pulumi.Output<string>;
    /** The administrator's dashboard API key. */
    dashboardApiKey: pulumi.Output<string>;
    /** The administrator's Storage Service API key (the dashboard uses it too). */
    storageServiceApiKey: pulumi.Output<string>;
}

/** What index.ts exports. */
export interface DeployedServices {
    /** The components, by catalogue name. */
    services: Record<ComponentName, ArchivematicaService>;
    /** Cloud Map namespace, e.g. `staging.archivematica.internal`. */
    namespace: string;
    serviceNames: Record<ComponentName, pulumi.Output<string>>;
    logGroupNames: Record<ComponentName, pulumi.Output<string>>;
    taskDefinitionFamilies: Record<ComponentName, string>;
    /** The image reference each component runs (Docker Hub, or a full URI from config), before the registry. */
    imageReferences: Record<ComponentName, string>;
    securityGroupIds: Record<ComponentName, pulumi.Output<string>>;
    adminUsername: string;
    adminSecretArns: AdminSecretArns;
    /** Ready-to-paste shell lines: find a running task, then open a shell in its container. */
    execCommands: Record<ComponentName, pulumi.Output<string>>;
    /** Ready-to-paste manage.py runs in a dashboard task, by command name. */
    dashboardManageCommands: Record<string, pulumi.Output<string>>;
}

/** The secrets this module generates: random value → Secrets Manager. */
const GENERATED: Record<
    "pipelineDjangoSecretKey" | "storageServiceDjangoSecretKey" | "adminPassword" | "dashboardApiKey" | "storageServiceApiKey",
    { suffix: string; description: string; length: number; special: boolean }
> = {
    pipelineDjangoSecretKey: {
        suffix: "pipeline-django-secret-key",
        description: "Django SECRET_KEY of the dashboard, MCP server and MCP clients",
        length: 64,
        special: true,
    },
    storageServiceDjangoSecretKey: {
        suffix: "storage-service-django-secret-key",
        description: "Django SECRET_KEY of the Storage Service",
        length: 64,
        special: true,
    },
    // Letters and digits only: the values pass through `sh -c` argument expansion and URLs.
    adminPassword: { suffix: "admin-password", description: "Password of the Archivematica administrator", length: 32, special: false },
    dashboardApiKey: {
        suffix: "dashboard-api-key",
        description: "Dashboard API key of the Archivematica administrator",
        length: 40,
        special: false,
    },
    storageServiceApiKey: {
        suffix: "storage-service-api-key",
        description: "Storage Service API key of the Archivematica administrator",
        length: 40,
        special: false,
    },
};

/**
 * How long `pulumi up` waits for each component that is waited for (minutes): each entry's
 * `steadyStateMinutes` (the arithmetic is beside it, in its catalogue file).
 */
export const STEADY_STATE_MINUTES: Partial<Record<ComponentName, number>> = Object.fromEntries(
    COMPONENTS.filter((c) => CATALOGUE[c].steadyStateMinutes !== undefined).map((c) => [c, CATALOGUE[c].steadyStateMinutes]),
);

/** Ports an external Elasticsearch usually answers on besides 443 (9200; Elastic Cloud's 9243). */
const EXTERNAL_SEARCH_PORTS = { from: 9200, to: 9300 };

/** Creates the six services and their wiring; see {@link ServicesArgs} and {@link DeployedServices}. */
export function createServices(name: string, parent: pulumi.ComponentResource, args: ServicesArgs): DeployedServices {
    const opts = { parent };
    const deps = withDefaults(args);
    const namespace = deps.namespace;
    requireSearchSecret(name, deps.search);
    const generated = generateSecrets(name, deps.tags, opts);
    const secretArn = secretResolver(name, secretReferences(deps, generated));
    const discovery = new ServiceDiscovery(`${name}-discovery`, { vpcId: deps.network.vpcId, namespace, tags: deps.tags }, opts);
    const ctx = catalogueContext(deps, namespace);
    const unknownImage = Object.keys(deps.images).find((c) => !COMPONENTS.includes(c as ComponentName));
    if (unknownImage !== undefined)
        throw new Error(
            `createServices "${name}": images names ${unknownImage}, which is not in the catalogue; valid: ${COMPONENTS.join(", ")}`,
        );
    const specs = byComponent((c) => resolveComponent(c, ctx));
    requireKnownCallees(name, specs);
    const services = {} as Record<ComponentName, ArchivematicaService>;
    // A component after those it starts after: it depends on their ECS services.
    for (const c of creationOrder() as ComponentName[]) {
        const service = withImages(withSecretArns(c, specs[c], secretArn), specs[c].metrics, deps.environment, deps.registry);
        services[c] = createService(name, c, service, deps, discovery.namespaceId, startAfter(c, specs[c], deps, services), opts);
    }
    for (const c of COMPONENTS) connectService(c, specs[c], services, deps);
    return deployedServices(specs, services, namespace, generated, deps);
}

type Generated = Record<keyof typeof GENERATED, pulumi.Output<string>>;

/** What a component may call besides another component. */
const DATA_STORES = ["database", "search", "queue"];

/** Every callee of the catalogue is a component of the registry or a data store. */
function requireKnownCallees(name: string, specs: Record<ComponentName, ComponentService>): void {
    for (const c of COMPONENTS) {
        const unknown = specs[c].calls.find((callee) => !DATA_STORES.includes(callee) && !COMPONENTS.includes(callee as ComponentName));
        if (unknown !== undefined)
            throw new Error(
                `createServices "${name}": ${c} calls ${unknown}, which is not in the catalogue; valid: ${[...COMPONENTS, ...DATA_STORES].join(", ")}`,
            );
    }
}

/** Search on needs the secret that holds its URL. */
function requireSearchSecret(name: string, search: SearchOutputs): void {
    if (search.searchEnabled !== "false" && !search.urlSecretArn) {
        throw new Error(
            `createServices "${name}": search.urlSecretArn is missing while searchEnabled is ${search.searchEnabled}; valid: a secret holding the Elasticsearch URL, or searchEnabled "false"`,
        );
    }
}

/** Each {@link GENERATED} secret: a random value stored in Secrets Manager; returns the secrets' ARNs. */
function generateSecrets(name: string, tags: Record<string, string>, opts: pulumi.CustomResourceOptions): Generated {
    const generated = {} as Generated;
    for (const key of Object.keys(GENERATED).sort() as (keyof typeof GENERATED)[]) {
        const spec = GENERATED[key];
        const value = new random.RandomPassword(
            `${name}-${spec.suffix}-value`,
            {
                length: spec.length,
                special: spec.special,
                // Printable, and harmless inside double quotes in a shell and in Django settings.
                overrideSpecial: spec.special ? "!#%()*+,-.:;<=>?@[]^_{|}~" : undefined,
            },
            opts,
        );
        const secret = new aws.secretsmanager.Secret(
            `${name}-${spec.suffix}`,
            {
                description: spec.description,
                recoveryWindowInDays: 7,
                tags: mergeTags(tags, `${name}-${spec.suffix}`),
            },
            opts,
        );
        new aws.secretsmanager.SecretVersion(`${name}-${spec.suffix}-version`, { secretId: secret.id, secretString: value.result }, opts);
        generated[key] = secret.arn;
    }
    return generated;
}

/** Where each logical secret lives: an ARN, or `<arn>:<json-key>::`; undefined when no part provides it. */
function secretReferences(deps: ResolvedServicesArgs, generated: Generated): Record<SecretName, pulumi.Input<string> | undefined> {
    return {
        dbAppPassword: deps.database.appPasswordSecretArn,
        ssDbUrl: deps.database.ssDbUrlSecretArn,
        // The RDS-managed master secret is JSON; ECS picks one key with `<arn>:<key>::`.
        dbMasterUsername: pulumi.interpolate`${deps.database.masterUserSecretArn}:username::`,
        dbMasterPassword: pulumi.interpolate`${deps.database.masterUserSecretArn}:password::`,
        pipelineDjangoSecretKey: generated.pipelineDjangoSecretKey,
        storageServiceDjangoSecretKey: generated.storageServiceDjangoSecretKey,
        adminPassword: generated.adminPassword,
        dashboardApiKey: generated.dashboardApiKey,
        storageServiceApiKey: generated.storageServiceApiKey,
        searchUrl: deps.search.urlSecretArn,
        dashboardOidcClientSecret: deps.signIn?.secretArns.dashboardOidcClientSecret,
        storageServiceOidcClientSecret: deps.signIn?.secretArns.storageServiceOidcClientSecret,
    };
}

type SecretResolver = (component: ComponentName, secrets: Record<string, SecretName> | undefined) => Record<string, pulumi.Input<string>>;

/** Maps a container's logical secrets to their references; a secret no part provides is an error. */
function secretResolver(name: string, refs: Record<SecretName, pulumi.Input<string> | undefined>): SecretResolver {
    return (component, secrets) =>
        Object.fromEntries(
            Object.entries(secrets ?? {}).map(([env, secret]) => {
                const ref = refs[secret];
                if (!ref)
                    throw new Error(
                        `createServices "${name}": ${component} reads secret ${secret}, which no part provides; valid: ${Object.keys(refs)
                            .filter((k) => refs[k as SecretName])
                            .join(", ")}`,
                    );
                return [env, ref];
            }),
        );
}

/** What the catalogue needs from the services' args and the other parts. */
function catalogueContext(deps: ResolvedServicesArgs, namespace: string): CatalogueContext {
    return {
        version: deps.archivematicaVersion,
        sizeProfile: deps.sizeProfile,
        namespace,
        images: deps.images,
        database: {
            host: deps.database.address,
            port: deps.database.port.apply(String),
            appUsername: deps.database.appUsername,
            mcpDatabaseName: deps.database.mcpDatabaseName,
            ssDatabaseName: deps.database.ssDatabaseName,
        },
        search: { enabled: deps.search.searchEnabled, hasUrl: deps.search.urlSecretArn !== undefined },
        hostnames: deps.hostnames,
        targetGroups: { dashboard: deps.ingress.dashboardTargetGroupArn, storageService: deps.ingress.storageServiceTargetGroupArn },
        timeZone: deps.timeZone,
        environment: deps.environment,
        maxTransferSizeGiB: deps.maxTransferSizeGiB,
        mcpClient: deps.mcpClient,
        bootstrap: deps.bootstrap,
        queue: deps.queue ? { endpoint: deps.queue.endpoint, port: deps.queue.port } : undefined,
        archivalStorage: deps.archivalStorage,
        signIn: deps.signIn && { dashboard: deps.signIn.apps.dashboard, storageService: deps.signIn.apps["storage-service"] },
        ingestConfigs: deps.ingestConfigs ?? [],
    };
}

/** The catalogue's service with every logical secret replaced by its reference. */
function withSecretArns(component: ComponentName, spec: ComponentService, secretArn: SecretResolver): ComponentServiceArgs {
    const { calls: _calls, shell: _shell, metrics: _metrics, ...service } = spec;
    return {
        ...service,
        container: { ...spec.container, secrets: secretArn(component, spec.container.secrets) },
        initContainers: (spec.initContainers ?? []).map((c) => ({ ...c, secrets: secretArn(component, c.secrets) })),
        sidecars: spec.sidecars?.map((c) => ({ ...c, secrets: secretArn(component, c.secrets) })),
    };
}

/** The fields of ArchivematicaServiceArgs a catalogue entry decides. */
type ComponentServiceArgs = Pick<ArchivematicaServiceArgs, keyof Omit<ComponentService, "calls" | "shell" | "metrics">>;

/** A service's args with its images resolved and the statements to pull them. */
type ServiceWithImages = ComponentServiceArgs & Pick<ArchivematicaServiceArgs, "imagePullStatements" | "metricsSidecar">;

/**
 * Every container's image through the registry (an image naming its own registry stays as it is), and
 * the execution role's statements to pull exactly those images.
 */
function withImages(
    service: ComponentServiceArgs,
    metrics: ComponentService["metrics"],
    stack: string,
    registry: ImageResolver | undefined,
): ServiceWithImages {
    const inits = service.initContainers ?? [];
    const containers = [service.container, ...inits, ...(service.sidecars ?? [])];
    const references = containers.map((c) => {
        if (typeof c.image !== "string")
            throw new Error(`createServices: an image of the catalogue is computed; valid: a Docker Hub reference or an image URI`);
        return c.image;
    });
    const collector = `${COLLECTOR_IMAGE.registry}/${COLLECTOR_IMAGE.repository}:${COLLECTOR_IMAGE.tag}`;
    const pull = imagePull(metrics ? [...references, collector] : references, registry);
    return {
        ...service,
        container: { ...service.container, image: pull.uri(references[0]) },
        initContainers: inits.map((c, i) => ({ ...c, image: pull.uri(references[i + 1]) })),
        sidecars: service.sidecars?.map((c, i) => ({ ...c, image: pull.uri(references[inits.length + i + 1]) })),
        imagePullStatements: pull.statements,
        metricsSidecar: metrics ? { port: metrics.port, metrics: metrics.published, stack, image: pull.uri(collector) } : undefined,
    };
}

/**
 * What a service is created after: the capacity providers, the EFS mount targets (when it mounts),
 * its listener rule (when load-balanced), and the ECS services of the components it `startsAfter`.
 */
function startAfter(
    component: ComponentName,
    spec: ComponentService,
    deps: ResolvedServicesArgs,
    created: Partial<Record<ComponentName, ArchivematicaService>>,
): pulumi.Resource[] {
    const after: pulumi.Resource[] = [...(deps.registry?.pullDependencies ?? [])];
    if (deps.cluster.capacityProviders) after.push(deps.cluster.capacityProviders);
    if (spec.container.mounts?.length && deps.storage.mountTargets) after.push(...deps.storage.mountTargets);
    const rule = spec.loadBalancer && deps.ingress.listenerRules?.[component as "dashboard" | "storage-service"];
    if (rule) after.push(rule);
    for (const before of CATALOGUE[component].startsAfter ?? []) {
        const service = created[before as ComponentName];
        if (!service) throw new Error(`createServices: ${component} must be created after the ${before}`);
        after.push(service.ecsService);
    }
    return after;
}

/** One ArchivematicaService: the catalogue's part plus the cluster, network, storage and discovery it runs in. */
function createService(
    name: string,
    component: ComponentName,
    service: ServiceWithImages,
    deps: ResolvedServicesArgs,
    namespaceId: pulumi.Input<string>,
    serviceDependsOn: pulumi.Resource[],
    opts: pulumi.ComponentResourceOptions,
): ArchivematicaService {
    return new ArchivematicaService(
        `${name}-${component}`,
        {
            component,
            // Families and log-group names are account-wide: keep staging's and prod's apart.
            family: `${name}-${deps.environment}-${component}`,
            clusterArn: deps.cluster.clusterArn,
            vpcId: deps.network.vpcId,
            subnetIds: deps.network.privateSubnetIds,
            region: deps.region,
            ...service,
            // The stack's choice, unless the component insists (the singletons run on-demand).
            capacityProvider: service.capacityProvider ?? deps.capacityProvider,
            fileSystem: service.container.mounts?.length
                ? { id: deps.storage.fileSystemId, arn: deps.storage.fileSystemArn, accessPoints: deps.storage.accessPoints }
                : undefined,
            discovery: { namespaceId, name: component },
            execLogGroupName: deps.cluster.execLogGroupName,
            logRetentionDays: deps.logRetentionDays,
            steadyStateTimeoutMinutes: CATALOGUE[component].steadyStateMinutes,
            serviceDependsOn,
            tags: deps.tags,
        },
        opts,
    );
}

/** Network paths: each port admits only its callers; each caller may reach only what it calls. */
function connectService(
    component: ComponentName,
    spec: ComponentService,
    services: Record<ComponentName, ArchivematicaService>,
    deps: ResolvedServicesArgs,
): void {
    const svc = services[component];
    if (spec.container.mounts?.length) {
        deps.storage.allowFrom(component, svc.securityGroupId);
        svc.allowTo("efs", { securityGroupId: deps.storage.securityGroupId, port: NFS_PORT });
    }
    if (spec.loadBalancer) svc.allowFrom("alb", deps.ingress.securityGroupId);
    for (const callee of spec.calls) {
        switch (callee) {
            case "database":
                deps.database.allowFrom(component, svc.securityGroupId);
                svc.allowTo("database", { securityGroupId: deps.database.securityGroupId, port: deps.database.port });
                break;
            case "queue":
                if (!deps.queue) break;
                deps.queue.allowFrom(component, svc.securityGroupId);
                svc.allowTo("queue", { securityGroupId: deps.queue.securityGroupId, port: deps.queue.port });
                break;
            case "search":
                if (deps.search.searchEnabled === "false") break;
                // In-VPC search (OpenSearch) answers on 443, which every task may already reach.
                if (deps.search.reachable) deps.search.reachable.allowFrom(component, svc.securityGroupId);
                else svc.allowTo("search", { cidrIpv4: "0.0.0.0/0", port: EXTERNAL_SEARCH_PORTS.from, toPort: EXTERNAL_SEARCH_PORTS.to });
                break;
            default: {
                const target = services[callee as ComponentName];
                target.allowFrom(component, svc.securityGroupId);
                svc.allowTo(callee, { securityGroupId: target.securityGroupId, port: target.port! });
            }
        }
    }
}

/** A record with one value per component. */
function byComponent<T>(f: (c: ComponentName) => T): Record<ComponentName, T> {
    return Object.fromEntries(COMPONENTS.map((c) => [c, f(c)])) as Record<ComponentName, T>;
}

/** What index.ts exports: names, ARNs and ready-to-paste ECS Exec and manage.py commands. */
function deployedServices(
    specs: Record<ComponentName, ComponentService>,
    services: Record<ComponentName, ArchivematicaService>,
    namespace: string,
    generated: Generated,
    deps: ResolvedServicesArgs,
): DeployedServices {
    const region = deps.region;
    const clusterName = deps.cluster.clusterName;
    const exec = (component: ComponentName, command: string) =>
        pulumi.interpolate`TASK_ID=$(aws ecs list-tasks --region ${region} --cluster ${clusterName} --service-name ${services[component].serviceName} --query 'taskArns[0]' --output text) && aws ecs execute-command --region ${region} --cluster ${clusterName} --task "$TASK_ID" --container ${services[component].containerName} --interactive --command "${command}"`;
    const manage = VERSIONS[deps.archivematicaVersion].dashboardManage.join(" ");
    return {
        services,
        namespace,
        serviceNames: byComponent((c) => services[c].serviceName),
        logGroupNames: byComponent((c) => services[c].logGroupName),
        taskDefinitionFamilies: byComponent((c) => services[c].family),
        imageReferences: byComponent((c) => specs[c].container.image as string),
        securityGroupIds: byComponent((c) => services[c].securityGroupId),
        adminUsername: deps.bootstrap.adminUsername,
        adminSecretArns: {
            adminPassword: generated.adminPassword,
            dashboardApiKey: generated.dashboardApiKey,
            storageServiceApiKey: generated.storageServiceApiKey,
        },
        execCommands: byComponent((c) => exec(c, specs[c].shell)),
        dashboardManageCommands: {
            migrate: exec("dashboard", `${manage} migrate --noinput`),
            rebuild_aip_index_from_storage_service: exec("dashboard", `${manage} rebuild_aip_index_from_storage_service`),
            rebuild_transfer_backlog: exec("dashboard", `${manage} rebuild_transfer_backlog`),
            help: exec("dashboard", `${manage} help`),
        },
    };
}
