/**
 * Fakes of the parts createServices consumes (network, cluster, EFS, RDS, search, queue, ALB), built
 * from plain values the way the real parts expose them. `allowFrom` creates the same ingress rule the
 * real parts create (`${part}-from-${source}`), so tests see every admission in the plan. And
 * createServices planned with them ({@link planServices}), with a task's containers as planned.
 */
import * as aws from "../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Reachable } from "../components/interfaces";
import { ImageRegistry } from "../components/platform/image-registry";
import { createServices, DeployedServices, ServicesArgs } from "../components/app/services";
import { storageServiceStatements } from "../components/data/archival-storage";
import { plan, TestPlan } from "./harness";

export const FAKE = {
    vpcId: "vpc-0a1b2c3d4e5f67890",
    subnets: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"],
    clusterArn: "arn:aws:ecs:eu-west-2:123456789012:cluster/am-cluster",
    clusterName: "am-cluster",
    execLogGroup: "am-exec-logs",
    efsId: "fs-0123456789abcdef0",
    efsArn: "arn:aws:elasticfilesystem:eu-west-2:123456789012:file-system/fs-0123456789abcdef0",
    efsSg: "sg-0efs0000000000001",
    accessPoints: {
        sharedDirectory: "fsap-0shared000000001",
        storageServiceStaging: "fsap-0staging00000002",
        transferSource: "fsap-0source000000003",
    },
    dbAddress: "am-db.cabcdefghijk.eu-west-2.rds.amazonaws.com",
    dbSg: "sg-0db00000000000001",
    masterSecret: "arn:aws:secretsmanager:eu-west-2:123456789012:secret:rds!db-11111111-2222-3333-4444-555555555555-AbCdEf",
    appPasswordSecret: "arn:aws:secretsmanager:eu-west-2:123456789012:secret:am-db-app-password-Gh1jK2",
    ssDbUrlSecret: "arn:aws:secretsmanager:eu-west-2:123456789012:secret:am-db-ss-db-url-Lm3nO4",
    searchUrlSecret: "arn:aws:secretsmanager:eu-west-2:123456789012:secret:am-search-url-Pq5rS6",
    searchSg: "sg-0search000000001",
    redisEndpoint: "master.am-queue.abc123.euw2.cache.amazonaws.com",
    redisSg: "sg-0redis0000000001",
    albSg: "sg-0alb000000000001",
    dashboardTg: "arn:aws:elasticloadbalancing:eu-west-2:123456789012:targetgroup/am-dashboard/0123456789abcdef",
    ssTg: "arn:aws:elasticloadbalancing:eu-west-2:123456789012:targetgroup/am-ss/fedcba9876543210",
    transferBucket: "am-archive-transfer-source-1a2b3c4",
    aipBucket: "am-archive-aip-store-5d6e7f8",
    dipBucket: "am-archive-dip-store-9a0b1c2",
    listener: "arn:aws:elasticloadbalancing:eu-west-2:123456789012:listener/app/am-alb/0123456789abcdef/fedcba9876543210",
    dockerHubSecret: "arn:aws:secretsmanager:eu-west-2:123456789012:secret:ecr-pullthroughcache/docker-hub-AbCdEf",
};

/** The tags the test stack's config gives every resource (BASE_CONFIG, stack `test`). */
export const TAGS: Record<string, string> = {
    Project: "archivematica",
    Environment: "staging",
    Owner: "digital-preservation@example.org",
    CostCentre: "DP-0042",
    ManagedBy: "pulumi",
    PulumiStack: "archivematica-infra/test",
};

/** The services' own args in a staging-like stack; everything else takes its default. */
export const SETTINGS = {
    environment: "staging",
    region: "eu-west-2",
    tags: TAGS,
    hostnames: { dashboard: "am.example.org", storageService: "ss.example.org" },
    bootstrap: { adminEmail: "archivist@example.org", organisationName: "Example Archives", organisationId: "example" },
} satisfies Partial<ServicesArgs>;

/**
 * What the real cluster hands createServices for ordering (capacity providers, a mount target per
 * subnet, the listener rules), as real resources named `fake-…` so tests can find their URNs.
 */
function orderingDeps(tags: Record<string, string>) {
    const capacityProviders = new aws.ecs.ClusterCapacityProviders("fake-capacity", {
        clusterName: FAKE.clusterName,
        capacityProviders: ["FARGATE", "FARGATE_SPOT"],
    });
    const mountTargets = FAKE.subnets.map(
        (subnetId, i) =>
            new aws.efs.MountTarget(`fake-mount-target-${i}`, { fileSystemId: FAKE.efsId, subnetId, securityGroups: [FAKE.efsSg] }),
    );
    const rule = (target: string, tg: string, priority: number) =>
        new aws.lb.ListenerRule(`fake-${target}-rule`, {
            listenerArn: FAKE.listener,
            priority,
            actions: [{ type: "forward", targetGroupArn: tg }],
            conditions: [{ hostHeader: { values: [`${target}.example.org`] } }],
            tags,
        });
    return {
        capacityProviders,
        mountTargets,
        listenerRules: { dashboard: rule("dashboard", FAKE.dashboardTg, 10), "storage-service": rule("storage-service", FAKE.ssTg, 20) },
    };
}

function reachable(partName: string, sgId: string, port: number, tags: Record<string, string>): Reachable {
    return {
        securityGroupId: pulumi.output(sgId),
        allowFrom(sourceName: string, sourceSecurityGroupId: pulumi.Input<string>): void {
            new aws.vpc.SecurityGroupIngressRule(`${partName}-from-${sourceName}`, {
                securityGroupId: sgId,
                referencedSecurityGroupId: sourceSecurityGroupId,
                ipProtocol: "tcp",
                fromPort: port,
                toPort: port,
                tags: { ...tags, Name: `${partName}-from-${sourceName}` },
            });
        },
    };
}

const arnOf = (id: string) => `arn:aws:elasticfilesystem:eu-west-2:123456789012:access-point/${id}`;

/** Args for createServices: {@link SETTINGS}, the fake parts, then `overrides`; call inside a mock program. */
export function fakeDeps(
    overrides: Partial<ServicesArgs> = {},
    opts: {
        search?: "disabled" | "external" | "opensearch";
        queue?: boolean;
        /** An ImageRegistry named `img`: the ECR pull-through cache with {@link FAKE.dockerHubSecret}. */
        registry?: boolean;
        /** Capacity providers, mount targets and listener rules to be created after (see orderingDeps). */
        ordering?: boolean;
    } = {},
): ServicesArgs {
    const settings = { ...SETTINGS, ...overrides };
    const search = opts.search ?? "disabled";
    const o = pulumi.output;
    const order = opts.ordering ? orderingDeps(settings.tags) : undefined;
    return {
        ...settings,
        registry: opts.registry
            ? new ImageRegistry("img", { dockerHubCredentialsSecretArn: FAKE.dockerHubSecret, ecrPublicPrefix: "ecr-public" })
            : undefined,
        network: { vpcId: o(FAKE.vpcId), vpcCidr: o("10.40.0.0/16"), publicSubnetIds: [], privateSubnetIds: FAKE.subnets.map((s) => o(s)) },
        cluster: {
            clusterArn: o(FAKE.clusterArn),
            clusterName: o(FAKE.clusterName),
            execLogGroupName: o(FAKE.execLogGroup),
            capacityProviders: order?.capacityProviders,
        },
        storage: {
            mountTargets: order?.mountTargets,
            ...reachable("efs", FAKE.efsSg, 2049, settings.tags),
            fileSystemId: o(FAKE.efsId),
            fileSystemArn: o(FAKE.efsArn),
            accessPoints: {
                sharedDirectory: { id: o(FAKE.accessPoints.sharedDirectory), arn: o(arnOf(FAKE.accessPoints.sharedDirectory)) },
                storageServiceStaging: {
                    id: o(FAKE.accessPoints.storageServiceStaging),
                    arn: o(arnOf(FAKE.accessPoints.storageServiceStaging)),
                },
                transferSource: { id: o(FAKE.accessPoints.transferSource), arn: o(arnOf(FAKE.accessPoints.transferSource)) },
            },
        },
        database: {
            ...reachable("db", FAKE.dbSg, 3306, settings.tags),
            address: o(FAKE.dbAddress),
            port: o(3306),
            masterUserSecretArn: o(FAKE.masterSecret),
            appUsername: "archivematica",
            appPasswordSecretArn: o(FAKE.appPasswordSecret),
            ssDbUrlSecretArn: o(FAKE.ssDbUrlSecret),
            mcpDatabaseName: "MCP",
            ssDatabaseName: "SS",
        },
        search:
            search === "disabled"
                ? { searchEnabled: "false" }
                : {
                      searchEnabled: "true",
                      urlSecretArn: o(FAKE.searchUrlSecret),
                      reachable: search === "opensearch" ? reachable("search", FAKE.searchSg, 443, settings.tags) : undefined,
                  },
        queue: opts.queue
            ? { ...reachable("queue", FAKE.redisSg, 6379, settings.tags), endpoint: o(FAKE.redisEndpoint), port: 6379 }
            : undefined,
        ingress: {
            securityGroupId: o(FAKE.albSg),
            dnsName: o("am-alb-123.eu-west-2.elb.amazonaws.com"),
            dashboardTargetGroupArn: o(FAKE.dashboardTg),
            storageServiceTargetGroupArn: o(FAKE.ssTg),
            dashboardUrl: `https://${settings.hostnames.dashboard}`,
            storageServiceUrl: `https://${settings.hostnames.storageService}`,
            listenerRules: order?.listenerRules,
        },
        archivalStorage: {
            region: settings.region,
            transferSourceBucket: o(FAKE.transferBucket),
            aipStoreBucket: o(FAKE.aipBucket),
            dipStoreBucket: o(FAKE.dipBucket),
            storageServiceStatements: storageServiceStatements(
                `arn:aws:s3:::${FAKE.transferBucket}`,
                `arn:aws:s3:::${FAKE.aipBucket}`,
                `arn:aws:s3:::${FAKE.dipBucket}`,
            ),
        },
    };
}

/** Stands in for ArchivematicaCluster as the parent of what createServices creates. */
export class FakeCluster extends pulumi.ComponentResource {
    constructor(name: string) {
        super("archivematica:index:ArchivematicaCluster", name, {}, {});
    }
}

/** createServices with {@link fakeDeps} under a FakeCluster `am`, planned; its outputs as the plan's. */
export async function planServices(overrides: Partial<ServicesArgs> = {}, opts: Parameters<typeof fakeDeps>[1] = {}): Promise<TestPlan> {
    return plan(() => {
        const out: DeployedServices = createServices("am", new FakeCluster("am"), fakeDeps(overrides, opts));
        return {
            serviceNames: out.serviceNames,
            logGroupNames: out.logGroupNames,
            families: out.taskDefinitionFamilies,
            adminSecretArns: out.adminSecretArns,
            adminUsername: out.adminUsername,
            exec: out.execCommands,
            manage: out.dashboardManageCommands,
            namespace: out.namespace,
        };
    });
}

/** One container definition as planned (parsed JSON). */
export type ContainerDef = Record<string, any>;

/** The containers of the component's task definition (`am-<component>-task-definition`). */
export function containers(p: TestPlan, component: string): ContainerDef[] {
    return JSON.parse(p.named(`am-${component}-task-definition`).props.containerDefinitions);
}
