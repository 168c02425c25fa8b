/**
 * The ECS cluster: Container Insights on, Fargate and Fargate Spot capacity, and ECS Exec sessions
 * logged to CloudWatch so every interactive command in production leaves a trace.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { EcsClusterOutputs } from "./interfaces";
import { mergeTags, Tags } from "./tags";

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

export class EcsCluster extends pulumi.ComponentResource implements EcsClusterOutputs {
    readonly clusterArn: pulumi.Output<string>;
    readonly clusterName: pulumi.Output<string>;
    /** Where ECS Exec session transcripts go. */
    readonly execLogGroupName: pulumi.Output<string>;

    constructor(name: string, args: EcsClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("archivematica:index:EcsCluster", name, {}, opts);
        const parent = { parent: this };
        const containerInsights = args.containerInsights ?? "enabled";
        const capacityProvider = args.defaultCapacityProvider ?? "FARGATE";

        const execLogs = new aws.cloudwatch.LogGroup(
            `${name}-exec-logs`,
            {
                retentionInDays: args.logRetentionDays ?? 30,
                tags: mergeTags(args.tags, `${name}-exec-logs`),
            },
            parent,
        );

        const cluster = new aws.ecs.Cluster(
            `${name}-cluster`,
            {
                settings: [{ name: "containerInsights", value: containerInsights }],
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
                tags: mergeTags(args.tags, `${name}-cluster`),
            },
            parent,
        );

        new aws.ecs.ClusterCapacityProviders(
            `${name}-capacity`,
            {
                clusterName: cluster.name,
                capacityProviders: ["FARGATE", "FARGATE_SPOT"],
                defaultCapacityProviderStrategies: [{ capacityProvider, weight: 1, base: 0 }],
            },
            parent,
        );

        this.clusterArn = cluster.arn;
        this.clusterName = cluster.name;
        this.execLogGroupName = execLogs.name;
        this.registerOutputs({ clusterArn: this.clusterArn, clusterName: this.clusterName, execLogGroupName: this.execLogGroupName });
    }
}
