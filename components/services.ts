/**
 * The six Archivematica services and everything between them: generated application secrets, the
 * Cloud Map namespace, one ArchivematicaService per catalogue entry, the security-group rules between
 * the services and to the data stores, and the ops outputs (names, ECS Exec and manage.py commands).
 *
 * ArchivematicaCluster calls `createServices(name, this, deps)` once the data stores and the ALB exist.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { AppConfig } from "../config";
import { ArchivematicaService, ServiceInitContainer } from "./archivematica-service";
import {
    CatalogueContext,
    COMPONENTS,
    ComponentName,
    ComponentSpec,
    resolveComponent,
    scratchStorageGiB,
    SecretName,
    VERSIONS,
} from "./catalogue";
import type {
    DatabaseOutputs,
    EcsClusterOutputs,
    IngressOutputs,
    NetworkOutputs,
    QueueCacheOutputs,
    SearchOutputs,
    SharedStorageOutputs,
} from "./interfaces";
import { ServiceDiscovery } from "./service-discovery";
import { mergeTags } from "./tags";

/** What createServices needs from the rest of the cluster. */
export interface ServiceDeps {
    /** The validated stack configuration. */
    config: AppConfig;
    network: NetworkOutputs;
    /**
     * The ECS cluster. With `execLogGroupName` (the log group of the cluster's ECS Exec configuration)
     * the task roles may write Exec transcripts there.
     */
    cluster: EcsClusterOutputs & { execLogGroupName?: pulumi.Input<string> };
    storage: SharedStorageOutputs;
    database: DatabaseOutputs;
    search: SearchOutputs;
    /**
     * Redis for gearmand's queue.
     * @default none (gearmand keeps its queue in memory: `--queue-type=builtin`)
     */
    queue?: QueueCacheOutputs;
    ingress: IngressOutputs;
    /**
     * Private DNS namespace of the services.
     * @default `${config.environment}.archivematica.internal` (unique per stack, so stacks can share a VPC)
     */
    namespace?: string;
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

/** Ports an external Elasticsearch usually answers on besides 443 (9200; Elastic Cloud's 9243). */
const EXTERNAL_SEARCH_PORTS = { from: 9200, to: 9300 };

/** Creates the six services and their wiring; see {@link ServiceDeps} and {@link DeployedServices}. */
export function createServices(name: string, parent: pulumi.ComponentResource, deps: ServiceDeps): DeployedServices {
    const { config } = deps;
    const tags = config.tags;
    const opts = { parent };
    const namespace = deps.namespace ?? `${config.environment}.archivematica.internal`;
    if (deps.search.searchEnabled !== "false" && !deps.search.urlSecretArn) {
        throw new Error(
            `createServices "${name}": search.urlSecretArn is missing while searchEnabled is ${deps.search.searchEnabled}; valid: a secret holding the Elasticsearch URL, or searchEnabled "false"`,
        );
    }

    // --- generated secrets
    const generated = {} as Record<keyof typeof GENERATED, pulumi.Output<string>>;
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
        new aws.secretsmanager.SecretVersion(
            `${name}-${spec.suffix}-version`,
            {
                secretId: secret.id,
                secretString: value.result,
            },
            opts,
        );
        generated[key] = secret.arn;
    }

    const secretRefs: Record<SecretName, pulumi.Input<string> | undefined> = {
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
    };
    const resolveSecrets = (component: ComponentName, secrets: Record<string, SecretName>): Record<string, pulumi.Input<string>> =>
        Object.fromEntries(
            Object.entries(secrets).map(([env, secret]) => {
                const ref = secretRefs[secret];
                if (!ref)
                    throw new Error(
                        `createServices "${name}": ${component} reads secret ${secret}, which no part provides; valid: ${Object.keys(
                            secretRefs,
                        )
                            .filter((k) => secretRefs[k as SecretName])
                            .join(", ")}`,
                    );
                return [env, ref];
            }),
        );

    const discovery = new ServiceDiscovery(`${name}-discovery`, { vpcId: deps.network.vpcId, namespace, tags }, opts);

    const ctx: CatalogueContext = {
        version: config.archivematicaVersion,
        sizeProfile: config.services.sizeProfile,
        namespace,
        database: {
            host: deps.database.address,
            port: deps.database.port.apply(String),
            appUsername: deps.database.appUsername,
            mcpDatabaseName: deps.database.mcpDatabaseName,
            ssDatabaseName: deps.database.ssDatabaseName,
        },
        search: { enabled: deps.search.searchEnabled, hasUrl: deps.search.urlSecretArn !== undefined },
        hostnames: { dashboard: config.ingress.dashboardHostname, storageService: config.ingress.storageServiceHostname },
        timeZone: config.bootstrap.timeZone,
        mcpClient: { workers: config.services.mcpClient.workers, maxTasksPerChild: config.services.mcpClient.maxTasksPerChild },
        bootstrap: {
            adminUsername: config.bootstrap.adminUsername,
            adminEmail: config.bootstrap.adminEmail,
            organisationName: config.bootstrap.organisationName,
            organisationId: config.bootstrap.organisationId,
        },
        queue: deps.queue ? { endpoint: deps.queue.endpoint, port: deps.queue.port } : undefined,
    };

    const specs = Object.fromEntries(COMPONENTS.map((c) => [c, resolveComponent(c, ctx)])) as Record<ComponentName, ComponentSpec>;
    const services = {} as Record<ComponentName, ArchivematicaService>;
    for (const component of COMPONENTS) {
        const spec = specs[component];
        const image = (config.services.images as Partial<Record<ComponentName, string>>)[component] ?? spec.image;
        const appSecrets = resolveSecrets(component, spec.secrets);
        const initContainers: ServiceInitContainer[] = spec.initSteps.map((step) => ({
            name: step.name,
            // Init steps run the component's own image: it has python3, MySQLdb and manage.py.
            image,
            user: spec.user,
            entryPoint: step.entryPoint,
            command: step.command,
            environment: { ...(step.inheritAppEnvironment ? spec.environment : {}), ...step.environment },
            secrets: { ...(step.inheritAppEnvironment ? appSecrets : {}), ...resolveSecrets(component, step.secrets) },
        }));
        const mcp = config.services.mcpClient;
        services[component] = new ArchivematicaService(
            `${name}-${component}`,
            {
                component,
                // Families and log-group names are account-wide: keep staging's and prod's apart.
                family: `${name}-${config.environment}-${component}`,
                clusterArn: deps.cluster.clusterArn,
                vpcId: deps.network.vpcId,
                subnetIds: deps.network.privateSubnetIds,
                region: config.region,
                container: {
                    image,
                    user: spec.user,
                    entryPoint: spec.entryPoint,
                    command: spec.command,
                    port: spec.port,
                    environment: spec.environment,
                    secrets: appSecrets,
                    mounts: spec.mounts,
                    healthCheck: spec.healthCheck,
                    stopTimeout: spec.stopTimeout,
                },
                initContainers,
                cpu: spec.cpu,
                memory: spec.memory,
                ephemeralStorageGiB: spec.transferScratch ? scratchStorageGiB(config.services.maxTransferSizeGiB) : undefined,
                deployment: spec.deployment,
                desiredCount: component === "mcp-client" ? mcp.desiredCount : 1,
                autoscaling:
                    component === "mcp-client" ? { minCount: mcp.minCount, maxCount: mcp.maxCount, cpuTarget: mcp.cpuTarget } : undefined,
                capacityProvider: config.services.capacityProvider,
                fileSystem: spec.mounts.length
                    ? { id: deps.storage.fileSystemId, arn: deps.storage.fileSystemArn, accessPoints: deps.storage.accessPoints }
                    : undefined,
                discovery: { namespaceId: discovery.namespaceId, name: component },
                loadBalancer: spec.loadBalanced
                    ? {
                          targetGroupArn:
                              component === "dashboard" ? deps.ingress.dashboardTargetGroupArn : deps.ingress.storageServiceTargetGroupArn,
                          healthCheckGracePeriodSeconds: spec.healthCheckGracePeriodSeconds,
                      }
                    : undefined,
                execLogGroupName: deps.cluster.execLogGroupName,
                logRetentionDays: config.logRetentionDays,
                tags,
            },
            opts,
        );
    }

    // --- network paths: each port admits only its callers; each caller may reach only what it calls
    for (const component of COMPONENTS) {
        const spec = specs[component];
        const svc = services[component];
        if (spec.mounts.length) {
            deps.storage.allowFrom(component, svc.securityGroupId);
            svc.allowTo("efs", { securityGroupId: deps.storage.securityGroupId, port: 2049 });
        }
        if (spec.loadBalanced) svc.allowFrom("alb", deps.ingress.securityGroupId);
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
                    else
                        svc.allowTo("search", {
                            cidrIpv4: "0.0.0.0/0",
                            port: EXTERNAL_SEARCH_PORTS.from,
                            toPort: EXTERNAL_SEARCH_PORTS.to,
                        });
                    break;
                default: {
                    const target = services[callee];
                    target.allowFrom(component, svc.securityGroupId);
                    svc.allowTo(callee, { securityGroupId: target.securityGroupId, port: specs[callee].port! });
                }
            }
        }
    }

    // --- ops outputs
    const region = config.region;
    const clusterName = deps.cluster.clusterName;
    const exec = (component: ComponentName, command: string) =>
        pulumi.interpolate`TASK_ID=$(aws ecs list-tasks --region ${region} --cluster ${clusterName} --service-name ${services[component].serviceName} --query 'taskArns[0]' --output text) && aws ecs execute-command --region ${region} --cluster ${clusterName} --task "$TASK_ID" --container ${services[component].containerName} --interactive --command "${command}"`;
    const manage = VERSIONS[config.archivematicaVersion].dashboardManage.join(" ");
    const byComponent = <T>(f: (c: ComponentName) => T) => Object.fromEntries(COMPONENTS.map((c) => [c, f(c)])) as Record<ComponentName, T>;

    return {
        services,
        namespace,
        serviceNames: byComponent((c) => services[c].serviceName),
        logGroupNames: byComponent((c) => services[c].logGroupName),
        taskDefinitionFamilies: byComponent((c) => services[c].family),
        securityGroupIds: byComponent((c) => services[c].securityGroupId),
        adminUsername: config.bootstrap.adminUsername,
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
