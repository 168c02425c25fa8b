/**
 * ImageRegistry: where the tasks pull their images from, so a fresh deploy never meets Docker Hub's
 * anonymous rate limit (10 pulls per hour per IPv4 address, and a fresh stack starts at least seven
 * tasks through one NAT address).
 *
 * Three modes, in order of preference:
 * - `cache`: an ECR pull-through cache rule for Docker Hub, authenticated with the operator's Docker Hub
 *   credentials kept in Secrets Manager. Image URIs point at the cache
 *   (`<account>.dkr.ecr.<region>.amazonaws.com/<prefix>/<namespace>/<repo>:<tag>`); ECR fetches each image
 *   once and serves it from then on, inside AWS. The execution role may pull (and, on the first pull,
 *   import and create) exactly the repositories the stack uses.
 * - `mirror`: the operator's own registry prefix (e.g. an ECR registry they fill themselves, or a
 *   corporate mirror). Pull rights on ECR repositories of this account are granted for the images used.
 * - `docker-hub`: anonymous pulls straight from Docker Hub. Works for a small stack on a quiet NAT
 *   address, may fail under the rate limit; the component warns.
 *
 * Sources: Amazon ECR user guide, "Creating a pull through cache rule" (the secret's name must begin
 * with `ecr-pullthroughcache/` and live in the rule's account and region; Docker Hub's upstream URL is
 * `registry-1.docker.io`), "Pulling an image with a pull through cache rule" (official Docker Hub images
 * need the `library/` namespace), "IAM permissions required to sync an upstream registry"
 * (`ecr:BatchImportUpstreamImage`, and `ecr:CreateRepository` while the cached repository does not
 * exist yet).
 */
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import type { IamStatement } from "../../lib/iam";

/** Docker Hub's registry endpoint as ECR's pull-through cache names it. */
export const DOCKER_HUB_UPSTREAM = "registry-1.docker.io";
/**
 * Amazon ECR Public as ECR's pull-through cache names it; a rule for it needs no credentials (Amazon ECR
 * user guide, "Creating a pull through cache rule": ECR Public, Kubernetes and Quay are public upstreams).
 */
export const ECR_PUBLIC_UPSTREAM = "public.ecr.aws";

/** The credential ARN ECR accepts for a pull-through cache rule (CreatePullThroughCacheRule API). */
const CREDENTIAL_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:ecr-pullthroughcache\/[A-Za-z0-9/_+=.@-]+$/;

/** An ECR repository prefix (2-30 characters, CreatePullThroughCacheRule API). */
const REPOSITORY_PREFIX = /^(?=.{2,30}$)[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;

/** `<account>.dkr.ecr.<region>.amazonaws.com[/<path>]`: a registry prefix that is ECR. */
const ECR_PREFIX = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?(?:\/(.*))?$/;

/** Where the images come from: the ECR pull-through cache, a mirror, or Docker Hub itself. */
export type ImageOrigin = "cache" | "mirror" | "docker-hub";

export interface ImageRegistryArgs {
    /**
     * ARN of a Secrets Manager secret named `ecr-pullthroughcache/…` holding `{"username": …,
     * "accessToken": …}` for Docker Hub. Turns on the ECR pull-through cache.
     * @default undefined (no cache)
     */
    dockerHubCredentialsSecretArn?: string;
    /**
     * A registry prefix to pull every image from instead of Docker Hub, e.g.
     * `123456789012.dkr.ecr.eu-west-2.amazonaws.com/docker-hub` or `registry.example.org/mirror`.
     * Images keep their Docker Hub path below it. Not together with `dockerHubCredentialsSecretArn`.
     * @default undefined
     */
    mirror?: string;
    /**
     * Repository prefix of the pull-through cache in ECR.
     * @default "docker-hub"
     */
    repositoryPrefix?: string;
    /**
     * Days an untagged image stays in a cached repository before ECR's lifecycle policy expires it.
     * @default 14
     */
    untaggedImageExpiryDays?: number;
    /**
     * Repository prefix of a pull-through cache for Amazon ECR Public (`public.ecr.aws/…` images, such
     * as the metrics sidecar's collector), whatever the Docker Hub mode: ECR Public needs no credentials.
     * @default undefined (no ECR Public cache; `public.ecr.aws` images cannot be asked for)
     */
    ecrPublicPrefix?: string;
}

interface Normalized {
    source: ImageOrigin;
    credentialArn?: string;
    mirror?: string;
    prefix: string;
    untaggedImageExpiryDays: number;
    ecrPublicPrefix?: string;
}

export class ImageRegistry extends pulumi.ComponentResource {
    /** Where images come from: `cache`, `mirror` or `docker-hub`. */
    readonly source: ImageOrigin;
    /** The pull-through cache rule (only in `cache` mode). */
    readonly cacheRule?: aws.ecr.PullThroughCacheRule;
    /**
     * What must exist before a task pulls through the registry: the cache rules and their repository
     * creation templates (a first pull creates the cached repository from one). Services declare
     * `dependsOn` on these. Empty when nothing is pulled through a cache.
     */
    readonly pullDependencies: pulumi.Resource[];
    /**
     * Amazon ECR Public images through the registry's ECR Public cache (only with `ecrPublicPrefix`).
     */
    readonly ecrPublic?: {
        imageUri(reference: string): pulumi.Output<string>;
        pullStatements(references: string[]): pulumi.Output<IamStatement[]>;
    };

    private readonly args: Normalized;
    private readonly accountId: pulumi.Output<string>;
    private readonly region: pulumi.Output<string>;
    private readonly partition: pulumi.Output<string>;

    constructor(name: string, args: ImageRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("archivematica:index:ImageRegistry", name, {}, opts);
        const parent = { parent: this };
        this.args = normalize(name, args);
        this.source = this.args.source;
        this.accountId = aws.getCallerIdentityOutput({}, parent).accountId;
        this.region = aws.getRegionOutput({}, parent).region;
        this.partition = aws.getPartitionOutput({}, parent).partition;

        const pullDependencies: pulumi.Resource[] = [];
        if (this.source === "cache") {
            this.cacheRule = this.createCacheRule(name);
            pullDependencies.push(
                this.cacheRule,
                this.createRepositoryTemplate(name, "template", this.args.prefix, "Archivematica images cached from Docker Hub"),
            );
        }
        if (this.args.ecrPublicPrefix) {
            const publicRule = new aws.ecr.PullThroughCacheRule(
                `${name}-ecr-public`,
                { ecrRepositoryPrefix: this.args.ecrPublicPrefix, upstreamRegistryUrl: ECR_PUBLIC_UPSTREAM },
                { parent: this },
            );
            pullDependencies.push(
                publicRule,
                this.createRepositoryTemplate(
                    name,
                    "ecr-public-template",
                    this.args.ecrPublicPrefix,
                    "Images cached from Amazon ECR Public",
                ),
            );
            this.ecrPublic = { imageUri: (r) => this.publicImageUri(r), pullStatements: (rs) => this.publicPullStatements(rs) };
        }
        if (this.source === "docker-hub") {
            void pulumi.log.warn(
                "images are pulled anonymously from Docker Hub (10 pulls per hour per IPv4 address): a fresh deploy can hit the limit; " +
                    "set dockerHubCredentialsSecretArn (ECR pull-through cache) or imageRegistry",
                this,
            );
        }
        this.pullDependencies = pullDependencies;
        this.registerOutputs({ source: this.source });
    }

    /** The URI a task pulls for a Docker Hub reference such as `artefactual/archivematica-dashboard:v1.18.0`. */
    imageUri(image: string): pulumi.Output<string> {
        const path = dockerHubPath(image);
        switch (this.source) {
            case "cache":
                return pulumi.interpolate`${this.cacheHost()}/${this.args.prefix}/${path}`;
            case "mirror":
                return pulumi.output(`${this.args.mirror}/${path}`);
            case "docker-hub":
                return pulumi.output(image);
        }
    }

    /**
     * The execution-role statements that let ECS pull `images` (Docker Hub references) and nothing else.
     * `ecr:GetAuthorizationToken` has no resource-level permissions, so it is granted on `*`.
     */
    pullStatements(images: string[]): pulumi.Output<IamStatement[]> {
        const repositories = [...new Set(images.map((i) => repositoryOf(dockerHubPath(i))))].sort();
        return pulumi.all([this.partition, this.region, this.accountId]).apply(([partition, region, account]) => {
            const arns = this.repositoryArns(repositories, partition, region, account);
            if (!arns) return [];
            const statements: IamStatement[] = [
                { Sid: "EcrAuthorization", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
                {
                    Sid: "PullStackImages",
                    Effect: "Allow",
                    Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                    Resource: arns,
                },
            ];
            if (this.source === "cache") {
                statements.push({
                    Sid: "FillPullThroughCache",
                    Effect: "Allow",
                    Action: ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"],
                    Resource: arns,
                });
            }
            return statements;
        });
    }

    /** The cached URI of an Amazon ECR Public reference (`public.ecr.aws/<path>:<tag>`). */
    publicImageUri(reference: string): pulumi.Output<string> {
        return pulumi.interpolate`${this.cacheHost()}/${this.publicPrefix(reference)}/${ecrPublicPath(reference)}`;
    }

    /** The execution-role statements that pull (and on first pull, import) the ECR Public `references` through the cache. */
    publicPullStatements(references: string[]): pulumi.Output<IamStatement[]> {
        const prefix = references.length ? this.publicPrefix(references[0]) : "";
        const repositories = [...new Set(references.map((r) => repositoryOf(ecrPublicPath(r))))].sort();
        return pulumi.all([this.partition, this.region, this.accountId]).apply(([partition, region, account]) => {
            if (repositories.length === 0) return [] as IamStatement[];
            const arns = repositories.map((r) => `arn:${partition}:ecr:${region}:${account}:repository/${prefix}/${r}`);
            const statements: IamStatement[] = [
                { Sid: "EcrAuthorization", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
                {
                    Sid: "PullPublicImages",
                    Effect: "Allow",
                    Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                    Resource: arns,
                },
                {
                    Sid: "FillPublicCache",
                    Effect: "Allow",
                    Action: ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"],
                    Resource: arns,
                },
            ];
            return statements;
        });
    }

    private publicPrefix(reference: string): string {
        if (!this.args.ecrPublicPrefix)
            throw new Error(
                `ImageRegistry: ${reference} is an Amazon ECR Public image, but ecrPublicPrefix is not set; valid: set ecrPublicPrefix`,
            );
        return this.args.ecrPublicPrefix;
    }

    private cacheHost(): pulumi.Output<string> {
        return pulumi.interpolate`${this.accountId}.dkr.ecr.${this.region}.amazonaws.com`;
    }

    /** ECR repository ARNs for the images, or undefined when the images do not come from ECR. */
    private repositoryArns(repositories: string[], partition: string, region: string, account: string): string[] | undefined {
        if (this.source === "cache") {
            return repositories.map((r) => `arn:${partition}:ecr:${region}:${account}:repository/${this.args.prefix}/${r}`);
        }
        const ecr = this.source === "mirror" ? ECR_PREFIX.exec(this.args.mirror ?? "") : null;
        if (!ecr) return undefined;
        const [, mirrorAccount, mirrorRegion, path] = ecr;
        const below = path ? `${path}/` : "";
        return repositories.map((r) => `arn:${partition}:ecr:${mirrorRegion}:${mirrorAccount}:repository/${below}${r}`);
    }

    private createCacheRule(name: string): aws.ecr.PullThroughCacheRule {
        return new aws.ecr.PullThroughCacheRule(
            `${name}-docker-hub`,
            {
                ecrRepositoryPrefix: this.args.prefix,
                upstreamRegistryUrl: DOCKER_HUB_UPSTREAM,
                credentialArn: this.args.credentialArn,
            },
            { parent: this },
        );
    }

    /**
     * How ECR creates the cached repositories on first pull: encrypted, tags mutable (the cache follows
     * upstream tags), untagged images expired. Tags on the created repositories would need a custom
     * role (RepositoryCreationTemplate `customRoleArn`); the repositories are ECR's, not the stack's.
     */
    private createRepositoryTemplate(
        name: string,
        suffix: string,
        prefix: string,
        description: string,
    ): aws.ecr.RepositoryCreationTemplate {
        return new aws.ecr.RepositoryCreationTemplate(
            `${name}-${suffix}`,
            {
                prefix,
                appliedFors: ["PULL_THROUGH_CACHE"],
                description,
                encryptionConfigurations: [{ encryptionType: "AES256" }],
                imageTagMutability: "MUTABLE",
                lifecyclePolicy: JSON.stringify({
                    rules: [
                        {
                            rulePriority: 1,
                            description: `Expire untagged images after ${this.args.untaggedImageExpiryDays} days`,
                            selection: {
                                tagStatus: "untagged",
                                countType: "sinceImagePushed",
                                countUnit: "days",
                                countNumber: this.args.untaggedImageExpiryDays,
                            },
                            action: { type: "expire" },
                        },
                    ],
                }),
            },
            { parent: this },
        );
    }
}

function normalize(name: string, args: ImageRegistryArgs): Normalized {
    const fail = (field: string, problem: string, valid: string): never => {
        throw new Error(`ImageRegistry "${name}": ${field} ${problem}; valid: ${valid}`);
    };
    const prefix = args.repositoryPrefix ?? "docker-hub";
    if (!REPOSITORY_PREFIX.test(prefix)) fail("repositoryPrefix", `is "${prefix}"`, "2-30 lower-case letters, digits, ._- and /");
    const untaggedImageExpiryDays = args.untaggedImageExpiryDays ?? 14;
    if (!Number.isInteger(untaggedImageExpiryDays) || untaggedImageExpiryDays < 1) {
        fail("untaggedImageExpiryDays", `is ${untaggedImageExpiryDays}`, "a whole number of days, at least 1");
    }
    const ecrPublicPrefix = args.ecrPublicPrefix;
    if (ecrPublicPrefix !== undefined && (!REPOSITORY_PREFIX.test(ecrPublicPrefix) || ecrPublicPrefix === prefix))
        fail("ecrPublicPrefix", `is "${ecrPublicPrefix}"`, "2-30 lower-case letters, digits, ._- and /, other than repositoryPrefix");
    if (args.dockerHubCredentialsSecretArn && args.mirror) {
        fail("mirror", "is set together with dockerHubCredentialsSecretArn", "one of them");
    }
    if (args.dockerHubCredentialsSecretArn) {
        if (!CREDENTIAL_ARN.test(args.dockerHubCredentialsSecretArn)) {
            fail(
                "dockerHubCredentialsSecretArn",
                `is "${args.dockerHubCredentialsSecretArn}"`,
                "a Secrets Manager secret ARN whose name starts with ecr-pullthroughcache/",
            );
        }
        return { source: "cache", credentialArn: args.dockerHubCredentialsSecretArn, prefix, untaggedImageExpiryDays, ecrPublicPrefix };
    }
    if (args.mirror) {
        const mirror = args.mirror.replace(/\/+$/, "");
        return { source: "mirror", mirror, prefix, untaggedImageExpiryDays, ecrPublicPrefix };
    }
    return { source: "docker-hub", prefix, untaggedImageExpiryDays, ecrPublicPrefix };
}

/**
 * A Docker Hub reference as a path below a registry: `clamav/clamav-debian:1.5.3` stays, an official
 * image gains its `library/` namespace (`mysql:8.4` → `library/mysql:8.4`).
 */
export function dockerHubPath(image: string): string {
    const [repository] = splitReference(image);
    if (repository.includes(".") && repository.split("/")[0].includes(".")) {
        throw new Error(`not a Docker Hub image reference: ${image}`);
    }
    return repository.includes("/") ? image : `library/${image}`;
}

/** `public.ecr.aws/aws-observability/aws-otel-collector:v0.49.0` → `aws-observability/aws-otel-collector:v0.49.0`. */
export function ecrPublicPath(reference: string): string {
    const prefix = `${ECR_PUBLIC_UPSTREAM}/`;
    if (!reference.startsWith(prefix)) throw new Error(`not an Amazon ECR Public image reference: ${reference}`);
    return reference.slice(prefix.length);
}

/** The repository part of a registry path (`artefactual/archivematica-dashboard:v1.18.0` → `artefactual/archivematica-dashboard`). */
function repositoryOf(path: string): string {
    return splitReference(path)[0];
}

/** `[repository, tag-or-digest suffix]`. */
function splitReference(image: string): [string, string] {
    const at = image.indexOf("@");
    if (at >= 0) return [image.slice(0, at), image.slice(at)];
    const slash = image.lastIndexOf("/");
    const colon = image.indexOf(":", slash + 1);
    return colon >= 0 ? [image.slice(0, colon), image.slice(colon)] : [image, ""];
}
