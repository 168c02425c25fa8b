/** tools/gate/resources.ts: the new state's resources as the analyzer messages need them. */
import { strict as assert } from "assert";
import { collectResources, providerUrn } from "../../tools/gate/resources";
import { SECRET_SIG, SIG_KEY, UNKNOWN } from "../../tools/mock-runtime";
import { PreviewDigest, PreviewStep } from "../../tools/preview-json";

const PREFIX = "urn:pulumi:staging::archivematica-infra::";
const TD = `${PREFIX}aws:ecs/taskDefinition:TaskDefinition::dashboard`;
const OLD = `${PREFIX}aws:s3/bucket:Bucket::old`;
const VPC = `${PREFIX}aws:ec2/vpc:Vpc::existing`;
const PROVIDER = `${PREFIX}pulumi:providers:aws::default_7_48_0`;

function step(op: string, urn: string, inputs: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): PreviewStep {
    const type = urn.split("::")[2];
    return { op, urn, newState: { urn, custom: true, type, inputs, ...extra } } as PreviewStep;
}

describe("gate: resources of the new state", function () {
    it("keeps one resource per URN, analysed when any of its steps registers it", function () {
        const digest: PreviewDigest = {
            steps: [
                step("create-replacement", TD, { family: "f" }),
                step("replace", TD, { family: "f" }),
                {
                    op: "delete-replaced",
                    urn: TD,
                    oldState: { urn: TD, custom: true, type: "aws:ecs/taskDefinition:TaskDefinition", inputs: {} },
                },
                { op: "delete", urn: OLD, oldState: { urn: OLD, custom: true, type: "aws:s3/bucket:Bucket", inputs: {} } },
                step("read", VPC, { cidrBlock: "10.0.0.0/16" }),
            ],
            changeSummary: {},
        };
        const { resources, masked } = collectResources(digest, new Map());
        assert.deepEqual(
            resources.map((r) => [r.name, r.analyze]),
            [
                ["dashboard", true],
                ["existing", false],
            ],
        );
        assert.equal(masked, 0);
    });

    it("sends masked values as unknown secrets and counts them; a recorded run's inputs replace them", function () {
        const digest: PreviewDigest = {
            steps: [
                step(
                    "create",
                    TD,
                    { containerDefinitions: "[secret]", family: "f" },
                    { customTimeouts: { create: "10m" }, provider: `${PROVIDER}::id-1` },
                ),
            ],
            changeSummary: {},
        };
        const masked = collectResources(digest, new Map());
        assert.equal(masked.masked, 1);
        assert.deepEqual(masked.resources[0].inputs, { containerDefinitions: { [SIG_KEY]: SECRET_SIG, value: UNKNOWN }, family: "f" });
        assert.deepEqual(masked.resources[0].customTimeouts, { create: 600, update: 0, delete: 0 });
        assert.equal(masked.resources[0].providerRef, `${PROVIDER}::id-1`);
        const recorded = new Map([
            [
                TD,
                {
                    urn: TD,
                    type: "aws:ecs/taskDefinition:TaskDefinition",
                    name: "dashboard",
                    custom: true,
                    inputs: { containerDefinitions: { [SIG_KEY]: SECRET_SIG, value: "[]" }, family: "f" },
                    dependencies: [],
                    propertyDependencies: {},
                    protect: false,
                    retainOnDelete: false,
                    deleteBeforeReplace: false,
                    ignoreChanges: [],
                },
            ],
        ]);
        const clear = collectResources(digest, recorded);
        assert.equal(clear.masked, 0);
        assert.deepEqual(clear.resources[0].inputs, { containerDefinitions: { [SIG_KEY]: SECRET_SIG, value: "[]" }, family: "f" });
    });

    it("reads the provider URN out of a provider reference", function () {
        const cases: [string, string][] = [
            [`${PROVIDER}::04b0e2a4-5a8c-4f7e-9d0b-3c6f1e2a7b90`, PROVIDER],
            [PROVIDER, PROVIDER],
        ];
        for (const [ref, urn] of cases) assert.equal(providerUrn(ref), urn, ref);
    });
});
