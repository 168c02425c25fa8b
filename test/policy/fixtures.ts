/**
 * Compliant baseline resources, shaped like the inputs our program registers. Each spec starts from one
 * of these and changes one thing.
 */
import { DEFAULTS } from "../../policy/rules/aws-ecs-service-require-one-per-component";
import { ResourceSpec, urnOf } from "./harness";

/** The tags every taggable resource of the program carries. */
export const TAGS: Record<string, string> = {
    Name: "archivematica-x",
    Project: "archivematica-infra",
    Environment: "staging",
    Owner: "digital-preservation@example.org",
    CostCentre: "DP-0042",
    ManagedBy: "pulumi",
    PulumiStack: "staging",
};

/** A container definition as our program writes it (plain object; serialised by `taskDefinition`). */
export interface Container {
    name: string;
    image?: string;
    essential?: boolean;
    user?: string;
    privileged?: boolean;
    readonlyRootFilesystem?: boolean;
    dependsOn?: { containerName: string; condition: string }[];
    environment?: { name: string; value: string }[];
    secrets?: { name: string; valueFrom: string }[];
    logConfiguration?: { logDriver: string; options?: Record<string, string> };
}

const LOGS = (stream: string) => ({
    logDriver: "awslogs",
    options: { "awslogs-group": "/archivematica/staging/dashboard", "awslogs-region": "eu-west-2", "awslogs-stream-prefix": stream },
});

/** The dashboard's containers: a migrate init container and the essential gunicorn container. */
export function dashboardContainers(): Container[] {
    return [
        {
            name: "dashboard",
            image: "artefactual/archivematica-dashboard:v1.18.0",
            essential: true,
            user: "1000:1000",
            readonlyRootFilesystem: true,
            dependsOn: [{ containerName: "migrate", condition: "SUCCESS" }],
            environment: [
                { name: "DJANGO_SETTINGS_MODULE", value: "archivematica.dashboard.settings.production" },
                { name: "ARCHIVEMATICA_DASHBOARD_CLIENT_USER", value: "archivematica" },
                { name: "ARCHIVEMATICA_DASHBOARD_DASHBOARD_GEARMAN_SERVER", value: "gearmand.archivematica.local:4730" },
            ],
            secrets: [
                {
                    name: "ARCHIVEMATICA_DASHBOARD_CLIENT_PASSWORD",
                    valueFrom: "arn:aws:secretsmanager:eu-west-2:123456789012:secret:am-db-app",
                },
                {
                    name: "ARCHIVEMATICA_DASHBOARD_DASHBOARD_DJANGO_SECRET_KEY",
                    valueFrom: "arn:aws:secretsmanager:eu-west-2:123456789012:secret:am-django",
                },
            ],
            logConfiguration: LOGS("dashboard"),
        },
        {
            name: "migrate",
            image: "artefactual/archivematica-dashboard:v1.18.0",
            essential: false,
            user: "1000:1000",
            readonlyRootFilesystem: true,
            environment: [{ name: "DJANGO_SETTINGS_MODULE", value: "archivematica.dashboard.settings.production" }],
            logConfiguration: LOGS("migrate"),
        },
    ];
}

/** A compliant Fargate task definition with the given containers. */
export function taskDefinition(containers: Container[] = dashboardContainers(), name = "dashboard-task"): ResourceSpec {
    return {
        type: "aws:ecs/taskDefinition:TaskDefinition",
        name,
        props: {
            family: `archivematica-staging-${name.replace(/-task$/, "")}`,
            cpu: "1024",
            memory: "2048",
            networkMode: "awsvpc",
            requiresCompatibilities: ["FARGATE"],
            executionRoleArn: "arn:aws:iam::123456789012:role/exec",
            taskRoleArn: "arn:aws:iam::123456789012:role/task",
            containerDefinitions: JSON.stringify(containers),
            volumes: [
                {
                    name: "sharedDirectory",
                    efsVolumeConfiguration: {
                        fileSystemId: "fs-0123456789abcdef0",
                        transitEncryption: "ENABLED",
                        authorizationConfig: { accessPointId: "fsap-0123456789abcdef0", iam: "ENABLED" },
                    },
                },
            ],
            tags: TAGS,
        },
    };
}

/** A compliant ECS service for `component`. */
export function service(component: string, name = `${component}-service`): ResourceSpec {
    const singleton = component === "gearmand" || component === "mcp-server";
    return {
        type: "aws:ecs/service:Service",
        name,
        props: {
            cluster: "arn:aws:ecs:eu-west-2:123456789012:cluster/archivematica",
            desiredCount: 1,
            launchType: "FARGATE",
            deploymentCircuitBreaker: { enable: true, rollback: true },
            deploymentMaximumPercent: singleton ? 100 : 200,
            deploymentMinimumHealthyPercent: singleton ? 0 : 100,
            networkConfiguration: { subnets: ["subnet-1", "subnet-2"], securityGroups: ["sg-1"], assignPublicIp: false },
            tags: { ...TAGS, ArchivematicaComponent: component },
        },
    };
}

/** The components of the catalogue, as the pack knows them (policy/data/components.json, generated from the registry). */
export const COMPONENTS = [...DEFAULTS.components];

/** A resource with props, named, typed. */
export function resource(type: string, name: string, props: Record<string, unknown>): ResourceSpec {
    return { type, name, props };
}

/** `spec` with a dependency on `target` through `property` (and in `dependencies`). */
export function dependsOn(spec: ResourceSpec, property: string, target: ResourceSpec): ResourceSpec {
    const targetUrn = target.urn ?? urnOf(target.type, target.name);
    return {
        ...spec,
        dependencies: [...(spec.dependencies ?? []), targetUrn],
        propertyDependencies: {
            ...(spec.propertyDependencies ?? {}),
            [property]: [...(spec.propertyDependencies?.[property] ?? []), targetUrn],
        },
    };
}
