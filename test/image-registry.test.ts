import * as assert from "assert";
import { dockerHubPath, ImageRegistry } from "../components/platform/image-registry";
import { plan } from "./harness";

const SECRET = "arn:aws:secretsmanager:eu-west-2:123456789012:secret:ecr-pullthroughcache/docker-hub-AbCdEf";
const IMAGES = ["artefactual/archivematica-dashboard:v1.18.0", "clamav/clamav-debian:1.5.3", "artefactual/archivematica-dashboard:v1.18.0"];
const ECR = "123456789012.dkr.ecr.eu-west-2.amazonaws.com";

function program(args: ConstructorParameters<typeof ImageRegistry>[1]) {
    return () => {
        const registry = new ImageRegistry("img", args);
        return {
            source: registry.source,
            dashboard: registry.imageUri(IMAGES[0]),
            official: registry.imageUri("mysql:8.4"),
            statements: registry.pullStatements(IMAGES),
        };
    };
}

describe("ImageRegistry", () => {
    it("cache: a Docker Hub pull-through rule, a creation template, URIs in the cache, pulls of exactly the stack's repositories", async () => {
        const p = await plan(program({ dockerHubCredentialsSecretArn: SECRET }));
        assert.deepStrictEqual(p.named("img-docker-hub").props, {
            ecrRepositoryPrefix: "docker-hub",
            upstreamRegistryUrl: "registry-1.docker.io",
            credentialArn: SECRET,
        });
        const template = p.named("img-template").props;
        assert.deepStrictEqual(
            { ...template, lifecyclePolicy: JSON.parse(template.lifecyclePolicy) },
            {
                prefix: "docker-hub",
                appliedFors: ["PULL_THROUGH_CACHE"],
                description: "Archivematica images cached from Docker Hub",
                encryptionConfigurations: [{ encryptionType: "AES256" }],
                imageTagMutability: "MUTABLE",
                lifecyclePolicy: {
                    rules: [
                        {
                            rulePriority: 1,
                            description: "Expire untagged images after 14 days",
                            selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 14 },
                            action: { type: "expire" },
                        },
                    ],
                },
            },
        );
        assert.strictEqual(p.outputs.source, "cache");
        assert.strictEqual(p.outputs.dashboard, `${ECR}/docker-hub/artefactual/archivematica-dashboard:v1.18.0`);
        assert.strictEqual(p.outputs.official, `${ECR}/docker-hub/library/mysql:8.4`);
        const repos = [
            "arn:aws:ecr:eu-west-2:123456789012:repository/docker-hub/artefactual/archivematica-dashboard",
            "arn:aws:ecr:eu-west-2:123456789012:repository/docker-hub/clamav/clamav-debian",
        ];
        assert.deepStrictEqual(p.outputs.statements, [
            { Sid: "EcrAuthorization", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
            {
                Sid: "PullStackImages",
                Effect: "Allow",
                Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                Resource: repos,
            },
            {
                Sid: "FillPullThroughCache",
                Effect: "Allow",
                Action: ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"],
                Resource: repos,
            },
        ]);
    });

    it("mirror on ECR: URIs below the mirror, pulls granted on its repositories, nothing created", async () => {
        const p = await plan(program({ mirror: `${ECR}/mirror/` }));
        assert.deepStrictEqual(
            p.resources.map((r) => r.type).filter((t) => t !== "pulumi:pulumi:Stack"),
            ["archivematica:index:ImageRegistry"],
        );
        assert.strictEqual(p.outputs.source, "mirror");
        assert.strictEqual(p.outputs.dashboard, `${ECR}/mirror/artefactual/archivematica-dashboard:v1.18.0`);
        assert.deepStrictEqual((p.outputs.statements as { Resource: unknown }[])[1].Resource, [
            "arn:aws:ecr:eu-west-2:123456789012:repository/mirror/artefactual/archivematica-dashboard",
            "arn:aws:ecr:eu-west-2:123456789012:repository/mirror/clamav/clamav-debian",
        ]);
        assert.strictEqual((p.outputs.statements as unknown[]).length, 2);
    });

    it("mirror elsewhere and Docker Hub: no ECR permissions at all", async () => {
        const mirror = await plan(program({ mirror: "registry.example.org/am" }));
        assert.strictEqual(mirror.outputs.dashboard, "registry.example.org/am/artefactual/archivematica-dashboard:v1.18.0");
        assert.deepStrictEqual(mirror.outputs.statements, []);
        const hub = await plan(program({}));
        assert.strictEqual(hub.outputs.source, "docker-hub");
        assert.strictEqual(hub.outputs.dashboard, "artefactual/archivematica-dashboard:v1.18.0");
        assert.strictEqual(hub.outputs.official, "mysql:8.4");
        assert.deepStrictEqual(hub.outputs.statements, []);
    });

    it("bad args are one-line errors naming the field", () => {
        const cases: [ConstructorParameters<typeof ImageRegistry>[1], string][] = [
            [
                { dockerHubCredentialsSecretArn: "arn:aws:secretsmanager:eu-west-2:123456789012:secret:dockerhub" },
                'ImageRegistry "img": dockerHubCredentialsSecretArn is "arn:aws:secretsmanager:eu-west-2:123456789012:secret:dockerhub"; valid: a Secrets Manager secret ARN whose name starts with ecr-pullthroughcache/',
            ],
            [
                { dockerHubCredentialsSecretArn: SECRET, mirror: "registry.example.org" },
                'ImageRegistry "img": mirror is set together with dockerHubCredentialsSecretArn; valid: one of them',
            ],
            [{ repositoryPrefix: "D" }, 'ImageRegistry "img": repositoryPrefix is "D"; valid: 2-30 lower-case letters, digits, ._- and /'],
            [
                { untaggedImageExpiryDays: 0 },
                'ImageRegistry "img": untaggedImageExpiryDays is 0; valid: a whole number of days, at least 1',
            ],
        ];
        for (const [args, message] of cases) {
            assert.throws(() => new ImageRegistry("img", args), { message });
        }
    });

    it("ECR Public: a credential-free pull-through rule and template in every mode, cached URIs, pulls of exactly the images asked for", async () => {
        const COLLECTOR = "public.ecr.aws/aws-observability/aws-otel-collector:v0.49.0";
        for (const mode of [{}, { dockerHubCredentialsSecretArn: SECRET }, { mirror: "registry.example.org/mirror" }]) {
            const p = await plan(() => {
                const registry = new ImageRegistry("img", { ...mode, ecrPublicPrefix: "ecr-public-staging" });
                return { uri: registry.publicImageUri(COLLECTOR), statements: registry.publicPullStatements([COLLECTOR, COLLECTOR]) };
            });
            assert.deepStrictEqual(p.named("img-ecr-public").props, {
                ecrRepositoryPrefix: "ecr-public-staging",
                upstreamRegistryUrl: "public.ecr.aws",
            });
            assert.deepStrictEqual(
                [p.named("img-ecr-public-template").props.prefix, p.named("img-ecr-public-template").props.description],
                ["ecr-public-staging", "Images cached from Amazon ECR Public"],
            );
            assert.strictEqual(p.outputs.uri, `${ECR}/ecr-public-staging/aws-observability/aws-otel-collector:v0.49.0`);
            const repo = "arn:aws:ecr:eu-west-2:123456789012:repository/ecr-public-staging/aws-observability/aws-otel-collector";
            assert.deepStrictEqual(p.outputs.statements, [
                { Sid: "EcrAuthorization", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
                {
                    Sid: "PullPublicImages",
                    Effect: "Allow",
                    Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                    Resource: [repo],
                },
                {
                    Sid: "FillPublicCache",
                    Effect: "Allow",
                    Action: ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"],
                    Resource: [repo],
                },
            ]);
        }
        const without = await plan(() => new ImageRegistry("img", {}));
        assert.deepStrictEqual(without.ofType("aws:ecr/pullThroughCacheRule:PullThroughCacheRule"), []);
        assert.throws(() => new ImageRegistry("img", { ecrPublicPrefix: "docker-hub" }), {
            message:
                'ImageRegistry "img": ecrPublicPrefix is "docker-hub"; valid: 2-30 lower-case letters, digits, ._- and /, other than repositoryPrefix',
        });
    });

    it("Docker Hub paths: official images gain library/, digests kept, other registries refused", () => {
        assert.strictEqual(dockerHubPath("gearmand:1.1"), "library/gearmand:1.1");
        assert.strictEqual(dockerHubPath("artefactual/gearmand:1.1.22-alpine"), "artefactual/gearmand:1.1.22-alpine");
        assert.strictEqual(dockerHubPath("artefactual/x@sha256:abc"), "artefactual/x@sha256:abc");
        assert.throws(() => dockerHubPath("ghcr.io/org/x:1"), { message: "not a Docker Hub image reference: ghcr.io/org/x:1" });
    });
});
