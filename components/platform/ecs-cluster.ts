/**
 * The ECS cluster: Container Insights on, Fargate and Fargate Spot capacity, and ECS Exec sessions
 * logged to CloudWatch so every interactive command in production leaves a trace.
 */
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import type { EcsClusterOutputs } from "../interfaces";
import { mergeTags, Tags } from "../../lib/tags";
import { DEFAULT_LOG_RETENTION_DAYS } from "../../lib/cloudwatch-logs";

export interface EcsClusterArgs {
    /** Required tags, set on every taggable resource. */
    tags: Tags;
    /**
     * Container Insights level.
     * @default "enabled"
     */
    containerInsights?: "enabled" | "enhanced";
    /**
     * Capacity provider services use unless they say otherwise.
     * @default "FARGATE"
     */
    defaultCapacityProvider?: "FARGATE" | "FARGATE_SPOT";
    /**
     * Retention of the ECS Exec session log group (days).
     * @default 30
     */
    logRetentionDays?: number;
}

/** {@link EcsClusterArgs} with every default applied. */
type NormalizedEcsClusterArgs = Required<EcsClusterArgs>;

function normalizeEcsClusterArgs(args: EcsClusterArgs): NormalizedEcsClusterArgs {
    return {
        tags: args.tags,
        containerInsights: args.containerInsights ?? "enabled",
        defaultCapacityProvider: args.defaultCapacityProvider ?? "FARGATE",
        logRetentionDays: args.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS,
    };
}

export class EcsCluster extends pulumi.ComponentResource implements EcsClusterOutputs {
    readonly clusterArn: pulumi.Output<string>;
    readonly clusterName: pulumi.Output<string>;
    /** Where ECS Exec session transcripts go. */
    readonly execLogGroupName: pulumi.Output<string>;
    /**
     * The cluster's capacity providers. A service that names a capacity provider fails to create
     * until they are attached: services declare `dependsOn` on this.
     */
    readonly capacityProviders: aws.ecs.ClusterCapacityProviders;

    private readonly name: string;

    constructor(name: string, args: EcsClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("archivematica:index:EcsCluster", name, {}, opts);
        const a = normalizeEcsClusterArgs(args);
        this.name = name;

        const execLogs = this.createExecLogGroup(a);
        const cluster = this.createCluster(a, execLogs);
        this.capacityProviders = this.createCapacityProviders(a, cluster);

        this.clusterArn = cluster.arn;
        this.clusterName = cluster.name;
        this.execLogGroupName = execLogs.name;
        this.registerOutputs({ clusterArn: this.clusterArn, clusterName: this.clusterName, execLogGroupName: this.execLogGroupName });
    }

    private createExecLogGroup(a: NormalizedEcsClusterArgs): aws.cloudwatch.LogGroup {
        return new aws.cloudwatch.LogGroup(
            `${this.name}-exec-logs`,
            { retentionInDays: a.logRetentionDays, tags: mergeTags(a.tags, `${this.name}-exec-logs`) },
            { parent: this },
        );
    }

    private createCluster(a: NormalizedEcsClusterArgs, execLogs: aws.cloudwatch.LogGroup): aws.ecs.Cluster {
        return new aws.ecs.Cluster(
            `${this.name}-cluster`,
            {
                settings: [{ name: "containerInsights", value: a.containerInsights }],
                configuration: {
                    executeCommandConfiguration: {
                        logging: "OVERRIDE",
                        logConfiguration: {
                            cloudWatchLogGroupName: execLogs.name,
                            // Encryption of the transcript in transit is TLS already; at rest the log
                            // group uses CloudWatch's own encryption. A KMS key would add per-session cost.
                            cloudWatchEncryptionEnabled: false,
                        },
                    },
                },
                tags: mergeTags(a.tags, `${this.name}-cluster`),
            },
            { parent: this },
        );
    }

    /** Fargate and Fargate Spot on the cluster, with the default strategy for services that name none. */
    private createCapacityProviders(a: NormalizedEcsClusterArgs, cluster: aws.ecs.Cluster): aws.ecs.ClusterCapacityProviders {
        return new aws.ecs.ClusterCapacityProviders(
            `${this.name}-capacity`,
            {
                clusterName: cluster.name,
                capacityProviders: ["FARGATE", "FARGATE_SPOT"],
                defaultCapacityProviderStrategies: [{ capacityProvider: a.defaultCapacityProvider, weight: 1, base: 0 }],
            },
            { parent: this },
        );
    }
}
