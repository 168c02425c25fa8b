/**
 * The shapes of the catalogue: what an entry is, what it is given (the context of one stack), and
 * what it gives back (its service, in ArchivematicaService's own container and service types, with
 * secrets still named logically).
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ArchivematicaVersion, SizeProfile } from "../../../config";
import type { ArchivematicaServiceArgs, ServiceAppContainer, ServiceMount, TaskRoleStatement } from "../archivematica-service";
import type { VolumeName } from "../../interfaces";
import type { ComponentName } from "./registry";

/**
 * Logical secrets a container reads through ECS `secrets`. services.ts maps each to a Secrets Manager
 * ARN (or ARN plus JSON key for the RDS-managed master secret); values never enter `environment`.
 */
export type SecretName =
    | "dbAppPassword"
    | "ssDbUrl"
    | "dbMasterUsername"
    | "dbMasterPassword"
    | "pipelineDjangoSecretKey"
    | "storageServiceDjangoSecretKey"
    | "adminPassword"
    | "dashboardApiKey"
    | "storageServiceApiKey"
    | "searchUrl";

/** What a component connects to; services.ts turns each into a security-group rule pair. */
export type Callee = ComponentName | "database" | "search" | "queue";

/** Inputs the catalogue needs from config and the other parts. Plain values or outputs. */
export interface CatalogueContext {
    version: ArchivematicaVersion;
    sizeProfile: SizeProfile;
    /** Private DNS namespace, e.g. `staging.archivematica.internal`. */
    namespace: string;
    /**
     * Image overrides by component (config, not catalogue).
     * @default {} (the images of the versions table)
     */
    images?: Partial<Record<ComponentName, string>>;
    database: {
        host: pulumi.Input<string>;
        port: pulumi.Input<string>;
        appUsername: string;
        mcpDatabaseName: string;
        ssDatabaseName: string;
    };
    search: {
        /** `false`, `aips`, `transfers` or `true`. */
        enabled: string;
        /** A secret holds the Elasticsearch URL (search on). */
        hasUrl: boolean;
    };
    hostnames: { dashboard: string; storageService: string };
    /** The load balancer's target groups, by the application they serve. */
    targetGroups: { dashboard: pulumi.Input<string>; storageService: pulumi.Input<string> };
    timeZone: string;
    /** Largest transfer expected (GiB): sizes the scratch storage of the components that handle whole transfers. */
    maxTransferSizeGiB: number;
    mcpClient: {
        workers: number;
        maxTasksPerChild: number;
        desiredCount: number;
        minCount: number;
        maxCount: number;
        cpuTarget: number;
    };
    bootstrap: { adminUsername: string; adminEmail: string; organisationName: string; organisationId: string };
    /** The archive's S3 buckets: the Storage Service's locations, configured by the dashboard's bootstrap. */
    archivalStorage: {
        region: string;
        transferSourceBucket: pulumi.Input<string>;
        aipStoreBucket: pulumi.Input<string>;
        dipStoreBucket: pulumi.Input<string>;
        /** Exactly what the Storage Service task role needs on the buckets. */
        storageServiceStatements: pulumi.Input<TaskRoleStatement[]>;
    };
    /**
     * ElastiCache endpoint when gearmand persists its queue in Redis.
     * @default none (gearmand's in-memory queue)
     */
    queue?: { endpoint: pulumi.Input<string>; port: number };
}

/**
 * A component's service for one stack: the fields of ArchivematicaServiceArgs that are particular to
 * the component (containers, size, deployment style, scaling, load balancer), secrets by logical name,
 * plus what the catalogue alone knows.
 */
export interface ComponentService extends Pick<
    ArchivematicaServiceArgs<SecretName>,
    | "initContainers"
    | "cpu"
    | "memory"
    | "ephemeralStorageGiB"
    | "deployment"
    | "desiredCount"
    | "autoscaling"
    | "loadBalancer"
    | "capacityProvider"
    | "taskRoleStatements"
> {
    /** The essential container; it mounts only the shared storage's access points. */
    container: ServiceAppContainer<SecretName> & { mounts?: (ServiceMount & { volume: VolumeName })[] };
    /** What the component connects to: each callee admits it on its port, and it may reach each callee. */
    calls: Callee[];
    /** Shell for ECS Exec (alpine images have no bash). */
    shell: string;
}

/** The essential container as the catalogue builds it. */
export type AppContainer = ComponentService["container"];

/** One Archivematica component: a file under components/app/catalogue/ and one line in registry.ts. */
export interface CatalogueEntry {
    /** The file's name: also the container, Cloud Map and `ArchivematicaComponent` tag name. */
    name: string;
    /** One line on what the component is. */
    description: string;
    /** The component's service for one stack. Creates no resources. */
    resolve(ctx: CatalogueContext): ComponentService;
}
