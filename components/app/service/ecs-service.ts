/** The ECS service of an ArchivematicaService and its CPU autoscaling. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { mergeTags } from "../../../lib/tags";
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
            // Without it the AWS provider treats any change of the capacity provider strategy as a
            // replacement of the service (terraform-provider-aws internal/service/ecs/service.go,
            // capacityProviderStrategyCustomizeDiff); with it, an in-place update that redeploys the tasks.
            forceNewDeployment: true,
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

/** CPU target tracking on the service's desired count. */
export function createAutoscaling({ name, a, parent, componentTags }: Scope, scaling: ServiceAutoscaling, service: aws.ecs.Service): void {
    const target = new aws.appautoscaling.Target(
        `${name}-scaling`,
        {
            serviceNamespace: "ecs",
            scalableDimension: "ecs:service:DesiredCount",
            resourceId: pulumi.interpolate`service/${clusterNameOf(a.clusterArn)}/${service.name}`,
            minCapacity: scaling.minCount,
            maxCapacity: scaling.maxCount,
            tags: mergeTags(a.tags, `${name}-scaling`, componentTags),
        },
        { parent },
    );
    new aws.appautoscaling.Policy(
        `${name}-cpu`,
        {
            policyType: "TargetTrackingScaling",
            serviceNamespace: target.serviceNamespace,
            scalableDimension: target.scalableDimension,
            resourceId: target.resourceId,
            targetTrackingScalingPolicyConfiguration: {
                predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
                targetValue: scaling.cpuTarget,
                scaleOutCooldown: 120,
                // Scale-in stops a task and with it the jobs it runs; wait long before deciding to.
                scaleInCooldown: 900,
            },
        },
        { parent },
    );
}

/** `arn:aws:ecs:<region>:<account>:cluster/<name>` → `<name>` (autoscaling addresses services by cluster name). */
function clusterNameOf(clusterArn: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.output(clusterArn).apply((arn) => arn.split("/").pop() ?? arn);
}
