/** The ECS service of an ArchivematicaService, and its scaling on Archivematica's queue. */
import * as aws from "../../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { mergeTags } from "../../../lib/tags";
import type { CapacityProviderRecord } from "../capacity-provider-record";
import { QueueScaling } from "../queue-scaling";
import type { Scope, ServiceAutoscaling } from "./args";

/**
 * The ECS service: private subnets, circuit breaker, discovery, the load balancer if any, ECS Exec.
 * Created after its roles' inline policies (a task started before they propagate fails with "unable
 * to pull secrets") and after `serviceDependsOn`.
 */
export function createService(
    { name, a, parent, componentTags }: Scope,
    taskDefinition: aws.ecs.TaskDefinition,
    securityGroupId: pulumi.Output<string>,
    discovery: aws.servicediscovery.Service,
    rolePolicies: aws.iam.RolePolicy[],
    capacity: CapacityProviderRecord,
): aws.ecs.Service {
    const singleton = a.deployment === "singleton";
    return new aws.ecs.Service(
        `${name}-service`,
        {
            cluster: a.clusterArn,
            taskDefinition: taskDefinition.arn,
            desiredCount: a.desiredCount,
            deploymentMinimumHealthyPercent: singleton ? 0 : 100,
            deploymentMaximumPercent: singleton ? 100 : 200,
            deploymentCircuitBreaker: { enable: true, rollback: true },
            capacityProviderStrategies: [{ capacityProvider: a.capacityProvider, weight: 1, base: 0 }],
            // Only in the update that moves the service to another capacity provider, which the AWS
            // provider refuses without it; true on every update, it would restart the tasks on any
            // edit of the service (gearmand would lose its queue). See lib/capacity-provider-record.ts.
            forceNewDeployment: capacity.changed,
            networkConfiguration: { subnets: a.subnetIds, securityGroups: [securityGroupId], assignPublicIp: false },
            serviceRegistries: { registryArn: discovery.arn },
            loadBalancers: a.loadBalancer
                ? [
                      {
                          targetGroupArn: a.loadBalancer.targetGroupArn,
                          containerName: a.component,
                          containerPort: a.task.containers.essential.port!,
                      },
                  ]
                : undefined,
            healthCheckGracePeriodSeconds: a.loadBalancer ? a.loadBalancer.healthCheckGracePeriodSeconds : undefined,
            enableExecuteCommand: true,
            enableEcsManagedTags: true,
            propagateTags: "SERVICE",
            // With a timeout, the AWS provider waits for the service's new deployment to end and fails
            // with ECS's reason when it ends STOPPED or rolled back, i.e. when the circuit breaker
            // tripped (terraform-provider-aws internal/service/ecs/service.go, statusServiceWaitForStable
            // and findDeploymentStatus): the error names this resource, so `pulumi up` names the service.
            waitForSteadyState: a.steadyStateTimeoutMinutes !== undefined,
            tags: mergeTags(a.tags, `${name}-service`, componentTags),
        },
        {
            parent,
            ignoreChanges: a.autoscaling ? ["desiredCount"] : undefined,
            dependsOn: [...rolePolicies, ...a.serviceDependsOn],
            customTimeouts:
                a.steadyStateTimeoutMinutes !== undefined
                    ? { create: `${a.steadyStateTimeoutMinutes}m`, update: `${a.steadyStateTimeoutMinutes}m` }
                    : undefined,
        },
    );
}

/** Scaling on Archivematica's queue (QueueScaling), on the service's desired count. */
export function createAutoscaling(
    { name, a, parent, componentTags }: Scope,
    scaling: ServiceAutoscaling,
    service: aws.ecs.Service,
): QueueScaling {
    return new QueueScaling(
        `${name}-queue`,
        {
            tags: { ...a.tags, ...componentTags },
            clusterName: clusterNameOf(a.clusterArn),
            serviceName: service.name,
            stack: scaling.stack,
            minCount: scaling.minCount,
            maxCount: scaling.maxCount,
            workersPerClient: scaling.workersPerClient,
            schedule: scaling.schedule,
            timeZone: scaling.timeZone,
        },
        { parent },
    );
}

/** `arn:aws:ecs:<region>:<account>:cluster/<name>` → `<name>` (autoscaling addresses services by cluster name). */
function clusterNameOf(clusterArn: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.output(clusterArn).apply((arn) => arn.split("/").pop() ?? arn);
}
