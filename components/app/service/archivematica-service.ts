/**
 * ArchivematicaService: one component of the pipeline as one ECS Fargate service — its task (built by
 * the task builder, ../task: one essential container with ECS Exec, optional init containers and
 * sidecars — among them a metrics sidecar —, log groups, task and execution roles), security group,
 * Cloud Map record, the service with its capacity-provider record, and optionally scaling on
 * Archivematica's queue. Generic: what runs comes from the catalogue through services.ts.
 *
 * The constructor is the table of contents; each step is a module function over the shared `Scope`
 * (args.ts: arguments and checks; network.ts; iam.ts; ecs-service.ts; the task builder for the rest).
 */
import * as aws from "../../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Reachable } from "../../interfaces";
import type { IamStatement } from "../../../lib/iam";
import { ingressFrom } from "../../../lib/security-groups";
import { CapacityProviderRecord } from "../capacity-provider-record";
import { metricsWriteStatement, METRICS_SIDECAR } from "../metrics-sidecar";
import { createLogGroups, createTaskDefinition } from "../task";
import { ArchivematicaServiceArgs, normalize, Scope } from "./args";
import { createAutoscaling, createService } from "./ecs-service";
import { createRoles } from "./iam";
import { createDiscovery, createEgressRule, createSecurityGroup, EgressTarget } from "./network";

export class ArchivematicaService extends pulumi.ComponentResource implements Reachable {
    /** Name of the ECS service. */
    readonly serviceName: pulumi.Output<string>;
    readonly serviceArn: pulumi.Output<string>;
    /** Task-definition family (stable across revisions). */
    readonly family: string;
    readonly taskDefinitionArn: pulumi.Output<string>;
    readonly logGroupName: pulumi.Output<string>;
    readonly securityGroupId: pulumi.Output<string>;
    readonly taskRoleArn: pulumi.Output<string>;
    readonly executionRoleArn: pulumi.Output<string>;
    readonly discoveryServiceArn: pulumi.Output<string>;
    /** The ECS service itself: what a service that needs this one steady declares `dependsOn` on. */
    readonly ecsService: aws.ecs.Service;
    /** Name of the essential container (for ECS Exec). */
    readonly containerName: string;
    /** Names of the non-essential init containers, in the order they run (empty when there are none). */
    readonly initContainerNames: string[];
    readonly port?: number;

    private readonly baseName: string;
    private readonly tags: Record<string, string>;

    constructor(name: string, args: ArchivematicaServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("archivematica:index:ArchivematicaService", name, {}, opts);
        const a = normalize(name, args);
        this.baseName = name;
        this.tags = a.tags;
        this.family = a.family;
        this.containerName = a.component;
        this.initContainerNames = (a.task.containers.initContainers ?? []).map((c) => c.name);
        this.port = a.task.containers.essential.port;
        const scope: Scope = { name, a, parent: this, tags: a.tags, componentTags: { ArchivematicaComponent: a.component } };

        const logGroups = createLogGroups(scope, this.family, a.logRetentionDays, a.task.containers);
        const metricsGroup = logGroups.sidecars[METRICS_SIDECAR];
        if (metricsGroup) a.task.taskRoleStatements = withStatement(a.task.taskRoleStatements, metricsWriteStatement(metricsGroup.arn));
        this.securityGroupId = createSecurityGroup(scope).id;
        // Image pulls, Secrets Manager, CloudWatch Logs and the SSM channels of ECS Exec are HTTPS endpoints.
        this.egressRule("https", {
            cidrIpv4: "0.0.0.0/0",
            port: 443,
            description: "HTTPS: image registry, Secrets Manager, CloudWatch Logs, ECS Exec",
        });
        const discovery = createDiscovery(scope);
        const roles = createRoles(scope, logGroups);
        const taskDefinition = createTaskDefinition(scope, { ...a.task, family: this.family, region: a.region }, roles, logGroups);
        const capacity = new CapacityProviderRecord(`${name}-capacity`, a.capacityProvider, { parent: this });
        const service = createService(scope, taskDefinition, this.securityGroupId, discovery, roles.policies, capacity);
        if (a.autoscaling) createAutoscaling(scope, a.autoscaling, service);

        this.discoveryServiceArn = discovery.arn;
        this.taskRoleArn = roles.task.arn;
        this.executionRoleArn = roles.execution.arn;
        this.taskDefinitionArn = taskDefinition.arn;
        this.ecsService = service;
        this.serviceName = service.name;
        this.serviceArn = service.id;
        this.logGroupName = logGroups.task.name;
        this.registerOutputs({
            serviceName: this.serviceName,
            family: this.family,
            taskDefinitionArn: this.taskDefinitionArn,
            logGroupName: this.logGroupName,
            securityGroupId: this.securityGroupId,
            discoveryServiceArn: this.discoveryServiceArn,
        });
    }

    /**
     * Admits TCP on the container's port from `sourceSecurityGroupId`: one ingress rule named
     * `${name}-from-${sourceName}`.
     */
    allowFrom(sourceName: string, sourceSecurityGroupId: pulumi.Input<string>): void {
        if (this.port === undefined) {
            throw new Error(
                `ArchivematicaService "${this.baseName}": allowFrom("${sourceName}") needs container.port; valid: set container.port`,
            );
        }
        ingressFrom(this, `${this.baseName}-from-${sourceName}`, {
            securityGroupId: this.securityGroupId,
            sourceSecurityGroupId,
            port: this.port,
            description: `${this.containerName} ${this.port} from ${sourceName}`,
            tags: this.tags,
        });
    }

    /**
     * Lets the tasks open TCP connections to `port` (through `toPort`, if given) of a security group
     * or a CIDR: one egress rule named `${name}-to-${targetName}`.
     */
    allowTo(
        targetName: string,
        target: { securityGroupId?: pulumi.Input<string>; cidrIpv4?: string; port: pulumi.Input<number>; toPort?: number },
    ): void {
        this.egressRule(targetName, { ...target, description: `${this.containerName} to ${targetName}` });
    }

    private egressRule(targetName: string, target: EgressTarget): void {
        createEgressRule({ name: this.baseName, parent: this }, this.tags, this.securityGroupId, targetName, target);
    }
}

/** `statements` with one more at the end. */
function withStatement(
    statements: pulumi.Input<IamStatement[]>,
    statement: IamStatement<pulumi.Input<string>>,
): pulumi.Output<IamStatement[]> {
    return pulumi.all([pulumi.output(statements), pulumi.output(statement)]).apply(([list, extra]) => [...list, extra as IamStatement]);
}
