/**
 * Where a task pulls its images from and exactly the execution-role statements to pull them: Docker
 * Hub references through the stack's ImageRegistry, Amazon ECR Public ones through its ECR Public
 * cache (when it has one), images that name their own registry as they are (pull rights only for
 * those in ECR). The services (createServices), the smoke test and the fixity task pull through it.
 */
import * as pulumi from "@pulumi/pulumi";
import type { IamStatement } from "../../lib/iam";
import { COLLECTOR_IMAGE } from "./metrics-collector";

/** What a task needs from an ImageRegistry: its image URI for a reference, and the statements to pull it. */
export interface ImageResolver {
    imageUri(image: string): pulumi.Output<string>;
    pullStatements(images: string[]): pulumi.Output<IamStatement[]>;
    /**
     * What must exist before a task pulls through the registry (an ECR pull-through cache rule and its
     * repository creation template); every service declares `dependsOn` on them.
     * @default [] (nothing to wait for)
     */
    pullDependencies?: pulumi.Resource[];
    /** Amazon ECR Public (`public.ecr.aws/…`) images through the registry's cache; without it they are pulled as they are. */
    readonly ecrPublic?: {
        imageUri(reference: string): pulumi.Output<string>;
        pullStatements(references: string[]): pulumi.Output<IamStatement[]>;
    };
}

/** `registry.example.org/am/dashboard:v1` names its registry; `artefactual/archivematica-dashboard:v1` is Docker Hub's. */
export function namesRegistry(image: string): boolean {
    const first = image.split("/")[0];
    return image.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
}

/** `<account>.dkr.ecr.<region>.amazonaws.com[.cn]/<repository>[:tag|@digest]`. */
const ECR_IMAGE = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\/([^:@]+)/;

/**
 * Pull rights for images that name their own registry: the repositories of those in ECR (any other
 * registry is pulled without IAM). Docker Hub references are the registry's to grant.
 */
function ownRegistryStatements(images: string[], registryGrantsAuthorization: boolean): IamStatement[] {
    const arns = [
        ...new Set(
            images
                .map((image) => ECR_IMAGE.exec(image))
                .filter((m): m is RegExpExecArray => m !== null)
                .map(
                    ([, account, region, cn, repository]) =>
                        `arn:${cn ? "aws-cn" : "aws"}:ecr:${region}:${account}:repository/${repository}`,
                ),
        ),
    ].sort();
    if (!arns.length) return [];
    const pull: IamStatement = {
        Sid: "PullOverrideImages",
        Effect: "Allow",
        Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
        Resource: arns,
    };
    if (registryGrantsAuthorization) return [pull];
    return [{ Sid: "EcrAuthorization", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" }, pull];
}

/** `public.ecr.aws/…`: an Amazon ECR Public image, which a registry with an ECR Public cache serves. */
function isEcrPublic(image: string): boolean {
    return image.startsWith(`${COLLECTOR_IMAGE.registry}/`);
}

/**
 * Where a task pulls `references` from, and exactly the execution-role statements to pull them: Docker
 * Hub references through the registry, images that name their own registry as they are.
 */
export function imagePull(
    references: string[],
    registry: ImageResolver | undefined,
): { uri: (image: string) => pulumi.Input<string>; statements: pulumi.Output<IamStatement[]> } {
    const publicCache = registry?.ecrPublic;
    const cachesPublic = (image: string) => isEcrPublic(image) && publicCache !== undefined;
    const dockerHub = [...new Set(references.filter((i) => !namesRegistry(i)))].sort();
    const ecrPublic = [...new Set(references.filter(cachesPublic))].sort();
    const own = [...new Set(references.filter((i) => namesRegistry(i) && !cachesPublic(i)))].sort();
    const fromRegistry = registry && dockerHub.length ? registry.pullStatements(dockerHub) : pulumi.output([] as IamStatement[]);
    const fromPublicCache = publicCache && ecrPublic.length ? publicCache.pullStatements(ecrPublic) : pulumi.output([] as IamStatement[]);
    return {
        uri: (image) => {
            if (publicCache && isEcrPublic(image)) return publicCache.imageUri(image);
            return registry && !namesRegistry(image) ? registry.imageUri(image) : image;
        },
        statements: pulumi.all([fromRegistry, fromPublicCache]).apply(([statements, publicStatements]) => {
            const merged = [
                ...statements,
                ...publicStatements.filter((s) => !(s.Sid === "EcrAuthorization" && statements.some((x) => x.Sid === s.Sid))),
            ];
            return [
                ...merged,
                ...ownRegistryStatements(
                    own,
                    merged.some((s) => s.Sid === "EcrAuthorization"),
                ),
            ];
        }),
    };
}
