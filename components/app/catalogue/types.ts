/**
 * The shapes of the catalogue: what an entry is, what it is given (the context of one stack), and
 * what it gives back (its service, in ArchivematicaService's own container and service types, with
 * secrets still named logically).
 */
import type { ProcessingSchedule } from "../../../lib/processing-schedule";
import type { PublishedMetric } from "./metrics";
import type * as pulumi from "@pulumi/pulumi";
import type { ArchivematicaVersion, SizeProfile } from "../../../config";
import type { ArchivematicaServiceArgs, ServiceAppContainer } from "../service";
import type { Mount } from "../task";
import type { IamStatement } from "../../../lib/iam";
import type { VolumeName } from "../../interfaces";
import type { AppSignIn } from "./sign-in";

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
    | "searchUrl"
    | "dashboardOidcClientSecret"
    | "storageServiceOidcClientSecret";

/**
 * What a component connects to: another component, by name, or one of the data stores. services.ts
 * turns each into a security-group rule pair (and refuses a name the registry does not have).
 */
export type Callee = string;

/** Inputs the catalogue needs from config and the other parts. Plain values or outputs. */
export interface CatalogueContext {
    version: ArchivematicaVersion;
    sizeProfile: SizeProfile;
    /** Private DNS namespace, e.g. `staging.archivematica.internal`. */
    namespace: string;
    /**
     * Image overrides by component name (config, not catalogue).
     * @default {} (each entry's image for `version`)
     */
    images?: Partial<Record<string, string>>;
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
    /** The stack's environment (e.g. `staging`): the `stack` dimension of Archivematica's metrics. */
    environment: string;
    /** Largest transfer expected (GiB): sizes the scratch storage of the components that handle whole transfers. */
    maxTransferSizeGiB: number;
    mcpClient: {
        workers: number;
        maxTasksPerChild: number;
        desiredCount: number;
        minCount: number;
        maxCount: number;
        /**
         * Processing hours (in `timeZone`): no client outside them.
         * @default none (always)
         */
        processingSchedule?: ProcessingSchedule;
    };
    bootstrap: { adminUsername: string; adminEmail: string; organisationName: string; organisationId: string };
    /** The archive's S3 buckets: the Storage Service's locations, configured by the dashboard's bootstrap. */
    archivalStorage: {
        region: string;
        transferSourceBucket: pulumi.Input<string>;
        aipStoreBucket: pulumi.Input<string>;
        dipStoreBucket: pulumi.Input<string>;
        /** Exactly what the Storage Service task role needs on the buckets. */
        storageServiceStatements: pulumi.Input<IamStatement[]>;
    };
    /**
     * Processing configurations hands-off ingest accepts (a transfer source location each).
     * @default [] (none)
     */
    ingestConfigs?: string[];
    /**
     * ElastiCache endpoint when gearmand persists its queue in Redis.
     * @default none (gearmand's in-memory queue)
     */
    queue?: { endpoint: pulumi.Input<string>; port: number };
    /**
     * Each app's single sign-on with an OpenID Connect provider (components/sign-in.ts), by app.
     * @default {} (local passwords only: no OIDC variable is set)
     */
    signIn?: { dashboard?: AppSignIn; storageService?: AppSignIn };
}

/**
 * A component's service for one stack: the fields of ArchivematicaServiceArgs that are particular to
 * the component (containers, size, deployment style, scaling, load balancer), secrets by logical name,
 * plus what the catalogue alone knows.
 */
export interface ComponentService extends Pick<
    ArchivematicaServiceArgs<SecretName>,
    | "initContainers"
    | "sidecars"
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
    container: ServiceAppContainer<SecretName> & { mounts?: (Mount & { volume: VolumeName })[] };
    /** What the component connects to: each callee admits it on its port, and it may reach each callee. */
    calls: Callee[];
    /** Shell for ECS Exec (alpine images have no bash). */
    shell: string;
    /**
     * The component serves Prometheus metrics on 127.0.0.1:`port` and publishes `published` through a
     * metrics sidecar (components/app/metrics-sidecar.ts).
     * @default none (no sidecar)
     */
    metrics?: { port: number; published: readonly PublishedMetric[] };
}

/** The essential container as the catalogue builds it. */
export type AppContainer = ComponentService["container"];

/** What one entry is given: the stack's context and the image it runs (the override, or its own for the version). */
export interface ComponentContext extends CatalogueContext {
    /** The image reference of the essential container (and of the init containers, which run the same image). */
    image: string;
}

/** A Docker Hub reference per Archivematica release. */
export type ComponentImages = Readonly<Record<ArchivematicaVersion, string>>;

/** Task size (a valid Fargate cpu/memory pair) per size profile. */
export type ComponentSizes = Readonly<Record<SizeProfile, { cpu: number; memory: number }>>;

/** One Archivematica component: a file under components/app/catalogue/ and one line in registry.ts. */
export interface CatalogueEntry {
    /** The file's name: also the container, Cloud Map and `ArchivematicaComponent` tag name. */
    name: string;
    /** One line on what the component is. */
    description: string;
    /** The image it runs, per Archivematica release (a config override replaces it). */
    images: ComponentImages;
    /** Its default task size, per `sizeProfile`. */
    sizes: ComponentSizes;
    /**
     * Components whose ECS service must be steady before this one is created (their work is what it
     * waits for, e.g. the dashboard migrating the MCP database).
     * @default [] (created with the others)
     */
    startsAfter?: string[];
    /**
     * `pulumi up` waits until the service is steady after a create or an update, for at most this many
     * minutes, and fails naming it when the deployment fails.
     * @default undefined (not waited for: the circuit breaker and the alarms judge it)
     */
    steadyStateMinutes?: number;
    /**
     * Components that call this one, each with the variables that point it here: the caller gets the
     * network path (this name in its `calls`) and the variables in its essential container's
     * environment, so a new leaf that a component calls needs no edit of the caller's entry.
     * @default {} (nobody but the components that list it in their own `calls`)
     */
    calledBy?: Record<string, (ctx: CatalogueContext) => Record<string, pulumi.Input<string>>>;
    /** The component's service for one stack. Creates no resources. */
    resolve(ctx: ComponentContext): ComponentService;
}
