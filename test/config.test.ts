import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ConfigError, parseConfig } from "../config";
import { CONFIG_KEYS, PROJECT } from "../config/schema";
import { listStacks, loadStackConfig, StackFileError } from "../tools/stack-files";
import { rawValues, testConfig } from "./harness";

function errorOf(fn: () => unknown): string {
    try {
        fn();
    } catch (e) {
        assert.ok(e instanceof ConfigError || e instanceof StackFileError, `expected a config error, got ${(e as Error).stack}`);
        return (e as Error).message;
    }
    throw new Error("expected an error");
}

const CERT_VALID =
    "empty, or an ACM certificate (certificate/<lower-case UUID>) such as arn:aws:acm:eu-west-2:123456789012:certificate/6f1c9a52-3b7e-4d0a-9c21-8e4f5b2d7a10";
const REGISTRY_VALID =
    "empty, or a registry host (port 1-65535) with an optional path such as 123456789012.dkr.ecr.eu-west-2.amazonaws.com/docker-hub or registry.example.org/mirror";
const SMOKE_VALID =
    "rate(<n> minutes|hours|days), or cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>) in UTC that fires, at least one smoke run's budget apart (58 minutes with the default ingestStartGraceMinutes and ingestMonitorSchedule), one of the two day fields ?, e.g. rate(1 day)";

describe("config: valid input", () => {
    it("builds the typed config with defaults", () => {
        const c = testConfig();
        assert.deepStrictEqual(c.network, { mode: "create", cidr: "10.40.0.0/16", azCount: 2, natGateways: "single" });
        assert.deepStrictEqual(c.tags, {
            Project: "archivematica",
            Environment: "staging",
            Owner: "digital-preservation@example.org",
            CostCentre: "DP-0042",
            ManagedBy: "pulumi",
            PulumiStack: "archivematica-infra/test",
        });
        assert.strictEqual(c.archivematicaVersion, "1.18");
        assert.strictEqual(c.logRetentionDays, 30);
        assert.strictEqual(c.protectData, false);
        assert.deepStrictEqual(c.search, { mode: "disabled" });
        assert.deepStrictEqual(c.queue, { backend: "builtin" });
        assert.deepStrictEqual(c.ingress.allowedCidrs, ["203.0.113.0/24"]);
        assert.deepStrictEqual(c.services.mcpClient, {
            desiredCount: 0,
            minCount: 0,
            maxCount: 5,
            workers: 2,
            maxTasksPerChild: 10,
        });
        assert.deepStrictEqual(c.services.images, {});
        assert.deepStrictEqual(c.services.registry, { dockerHubCredentialsSecretArn: undefined, mirror: undefined });
        assert.strictEqual(c.services.smokeTestSchedule, "rate(1 day)");
        assert.strictEqual(c.database.engineVersion, "8.4");
        assert.strictEqual(c.ingress.hostedZoneId, undefined);
    });

    it("a hosted zone makes the certificate ARN optional; the registry keys reach the services", () => {
        const secret = "arn:aws:secretsmanager:eu-west-2:123456789012:secret:ecr-pullthroughcache/docker-hub-AbCdEf";
        const c = testConfig({
            certificateArn: undefined,
            hostedZoneId: "Z0123456789ABCDEFGHIJ",
            dockerHubCredentialsSecretArn: secret,
            smokeTestSchedule: "cron(0 6 * * ? *)",
        });
        assert.strictEqual(c.ingress.certificateArn, undefined);
        assert.strictEqual(c.ingress.hostedZoneId, "Z0123456789ABCDEFGHIJ");
        assert.deepStrictEqual(c.services.registry, { dockerHubCredentialsSecretArn: secret, mirror: undefined });
        assert.strictEqual(c.services.smokeTestSchedule, "cron(0 6 * * ? *)");
        assert.deepStrictEqual(testConfig({ imageRegistry: "registry.example.org:5000/mirror" }).services.registry, {
            dockerHubCredentialsSecretArn: undefined,
            mirror: "registry.example.org:5000/mirror",
        });
    });

    it("uses an existing VPC when vpcId is set", () => {
        const c = testConfig({
            vpcId: "vpc-0a1b2c3d4e5f67890",
            publicSubnetIds: '["subnet-0a1b2c3d4e5f60001","subnet-0a1b2c3d4e5f60002"]',
            privateSubnetIds: '["subnet-0a1b2c3d4e5f60003","subnet-0a1b2c3d4e5f60004"]',
        });
        assert.deepStrictEqual(c.network, {
            mode: "existing",
            vpcId: "vpc-0a1b2c3d4e5f67890",
            publicSubnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
            privateSubnetIds: ["subnet-0a1b2c3d4e5f60003", "subnet-0a1b2c3d4e5f60004"],
        });
    });

    it("accepts an image override pinned by tag", () => {
        assert.deepStrictEqual(testConfig({ dashboardImage: "example.org/am/dashboard:v1.18.1" }).services.images, {
            dashboard: "example.org/am/dashboard:v1.18.1",
        });
    });
});

describe("config: bad input gives one line naming the key and the valid values", () => {
    const cases: [string, Record<string, string | undefined>, string][] = [
        [
            "typo in a key",
            { availabiltyZones: "2" },
            `${PROJECT}:availabiltyZones: unknown key (did you mean availabilityZones?); valid: ${CONFIG_KEYS.map((k) => k.key).join(", ")}`,
        ],
        [
            "unknown key far from any",
            { colour: "blue" },
            `${PROJECT}:colour: unknown key; valid: ${CONFIG_KEYS.map((k) => k.key).join(", ")}`,
        ],
        [
            "missing required key",
            { owner: undefined },
            `${PROJECT}:owner: required key is not set; valid: 1-256 letters, digits, spaces or _.:/=+-@, not only spaces`,
        ],
        [
            "integer that is not a number",
            { availabilityZones: "two" },
            `${PROJECT}:availabilityZones: "two" is not an integer; valid: 2 to 3`,
        ],
        ["integer out of range", { availabilityZones: "4" }, `${PROJECT}:availabilityZones: 4 is out of range; valid: 2 to 3`],
        ["one AZ", { availabilityZones: "1" }, `${PROJECT}:availabilityZones: 1 is out of range; valid: 2 to 3`],
        ["enum value", { natGateways: "perAZ" }, `${PROJECT}:natGateways: "perAZ" is not allowed; valid: single, perAz`],
        ["boolean", { protectData: "yes" }, `${PROJECT}:protectData: "yes" is not a boolean; valid: true, false`],
        [
            "log retention CloudWatch refuses",
            { logRetentionDays: "45" },
            `${PROJECT}:logRetentionDays: 45 is not allowed; valid: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653`,
        ],
        [
            "CIDR",
            { vpcCidr: "10.40.0.0/33" },
            `${PROJECT}:vpcCidr: "10.40.0.0/33" is not valid; valid: an IPv4 CIDR from /16 to /24, private (RFC 1918) or publicly routable, such as 10.40.0.0/16`,
        ],
        [
            "list that is not a list",
            { allowedCidrs: "203.0.113.0/24" },
            `${PROJECT}:allowedCidrs: "203.0.113.0/24" is not a list of strings; valid: a list of IPv4 CIDRs such as 203.0.113.0/24, with no host bits set`,
        ],
        [
            "VPC too small for the subnets",
            { vpcCidr: "10.40.0.0/26" },
            `${PROJECT}:vpcCidr: /26 cannot hold the subnets (16 blocks of /30); valid: a CIDR from /16 to /24`,
        ],
        [
            "environment ending with a hyphen",
            { environment: "staging-" },
            `${PROJECT}:environment: "staging-" is not valid; valid: 2-20 lower-case letters, digits or single hyphens, starting with a letter and not ending with a hyphen`,
        ],
        [
            "bad list item",
            { allowedCidrs: '["0.0.0.0/0","office"]' },
            `${PROJECT}:allowedCidrs: item "office" is not valid; valid: a list of IPv4 CIDRs such as 203.0.113.0/24, with no host bits set`,
        ],
        [
            "subnets without vpcId",
            { privateSubnetIds: '["subnet-0a1b2c3d4e5f60003"]' },
            `${PROJECT}:privateSubnetIds: subnet ids are only used with an existing VPC; valid: an empty list, or set ${PROJECT}:vpcId`,
        ],
        [
            "vpcId with one subnet",
            {
                vpcId: "vpc-0a1b2c3d4e5f67890",
                publicSubnetIds: '["subnet-0a1b2c3d4e5f60001"]',
                privateSubnetIds: '["subnet-0a1b2c3d4e5f60003","subnet-0a1b2c3d4e5f60004"]',
            },
            `${PROJECT}:publicSubnetIds: 1 subnet(s) given with vpcId; valid: at least 2 subnet ids in different availability zones`,
        ],
        [
            "hostname",
            { dashboardHostname: "Archivematica" },
            `${PROJECT}:dashboardHostname: "Archivematica" is not valid; valid: a lower-case DNS name such as archivematica.example.org`,
        ],
        [
            "same host names",
            { storageServiceHostname: "am.example.org" },
            `${PROJECT}:storageServiceHostname: is the same as dashboardHostname; valid: a host name other than the dashboard's`,
        ],
        [
            "certificate ARN",
            { certificateArn: "arn:aws:acm:eu-west-2:123:certificate/x" },
            `${PROJECT}:certificateArn: "arn:aws:acm:eu-west-2:123:certificate/x" is not an ARN (arn:<partition>:<service>:<region>:<account>:<resource>); valid: ${CERT_VALID}`,
        ],
        [
            "neither certificate nor hosted zone",
            { certificateArn: undefined },
            `${PROJECT}:certificateArn: is not set and there is no hostedZoneId to create a certificate in; valid: an ACM certificate ARN covering both host names, or set archivematica-infra:hostedZoneId`,
        ],
        [
            "hosted zone id",
            { certificateArn: undefined, hostedZoneId: "example.org" },
            `${PROJECT}:hostedZoneId: "example.org" is not valid; valid: empty, or a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ`,
        ],
        [
            "Docker Hub secret not named for the pull-through cache",
            { dockerHubCredentialsSecretArn: "arn:aws:secretsmanager:eu-west-2:123456789012:secret:docker-hub-AbCdEf" },
            `${PROJECT}:dockerHubCredentialsSecretArn: "arn:aws:secretsmanager:eu-west-2:123456789012:secret:dock..." is not a secret named ecr-pullthroughcache/…; valid: empty, or a secret named ecr-pullthroughcache/… such as arn:aws:secretsmanager:eu-west-2:123456789012:secret:ecr-pullthroughcache/docker-hub-AbCdEf`,
        ],
        [
            "Docker Hub secret in another region",
            {
                dockerHubCredentialsSecretArn:
                    "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/docker-hub-AbCdEf",
            },
            `${PROJECT}:dockerHubCredentialsSecretArn: is in us-east-1 but the stack's region (aws:region) is eu-west-2; valid: a secret named ecr-pullthroughcache/… in eu-west-2`,
        ],
        [
            "image registry with a scheme",
            { imageRegistry: "https://registry.example.org/mirror" },
            `${PROJECT}:imageRegistry: "https://registry.example.org/mirror" names the registry "https:", which is not a host name with an optional :port; valid: ${REGISTRY_VALID}`,
        ],
        [
            "image registry that is a Docker Hub namespace",
            { imageRegistry: "artefactual" },
            `${PROJECT}:imageRegistry: "artefactual" names no registry host (a host has a dot or a port, or is localhost); valid: ${REGISTRY_VALID}`,
        ],
        [
            "image registry and pull-through cache together",
            {
                imageRegistry: "registry.example.org/mirror",
                dockerHubCredentialsSecretArn:
                    "arn:aws:secretsmanager:eu-west-2:123456789012:secret:ecr-pullthroughcache/docker-hub-AbCdEf",
            },
            `${PROJECT}:imageRegistry: is set together with dockerHubCredentialsSecretArn; valid: empty (the pull-through cache serves the images), or unset dockerHubCredentialsSecretArn`,
        ],
        [
            "smoke test rate shorter than a run",
            { smokeTestSchedule: "rate(10 minutes)" },
            // One run's budget: 344 polls of 10 s (lib/ingest-timing.ts smokeBudget) = 3440 s → 58 minutes.
            `${PROJECT}:smokeTestSchedule: "rate(10 minutes)" fires 10 minutes apart, less than the 58 minutes needed between runs (one run's budget with ingestStartGraceMinutes 30 and ingestMonitorSchedule rate(5 minutes)); valid: runs at least 58 minutes apart, e.g. rate(1 day); or a shorter ingestStartGraceMinutes or ingestMonitorSchedule`,
        ],
        [
            "smoke test rate that a longer start grace outgrows",
            { smokeTestSchedule: "rate(2 hours)", ingestStartGraceMinutes: "120", ingestMonitorSchedule: "rate(10 minutes)" },
            // 60 + 900 + (120 + 1) × 60 + 600 + 300 = 9120 s → 914 polls of 10 s = 9140 s → 153 minutes.
            `${PROJECT}:smokeTestSchedule: "rate(2 hours)" fires 2 hours apart, less than the 153 minutes needed between runs (one run's budget with ingestStartGraceMinutes 120 and ingestMonitorSchedule rate(10 minutes)); valid: runs at least 153 minutes apart, e.g. rate(1 day); or a shorter ingestStartGraceMinutes or ingestMonitorSchedule`,
        ],
        [
            "smoke test schedule that is neither rate nor cron",
            { smokeTestSchedule: "daily" },
            `${PROJECT}:smokeTestSchedule: "daily" is not a cron(...) or rate(...) expression; valid: ${SMOKE_VALID}`,
        ],
        [
            "MCP client bounds",
            { mcpClientMinCount: "3", mcpClientMaxCount: "2" },
            `${PROJECT}:mcpClientMinCount: 3 is above mcpClientMaxCount (2); valid: 0 to 2`,
        ],
        [
            "desired outside bounds",
            { mcpClientDesiredCount: "6" },
            `${PROJECT}:mcpClientDesiredCount: 6 is outside mcpClientMinCount..mcpClientMaxCount; valid: 0 to 5`,
        ],
        [
            "more MCP clients than step adjustments",
            { mcpClientMaxCount: "21" },
            `${PROJECT}:mcpClientMaxCount: 21 is out of range; valid: 1 to 20`,
        ],
        [
            "processing hours backwards",
            { processingSchedule: "MON-FRI 19:00-07:00" },
            `${PROJECT}:processingSchedule: 19:00-07:00 does not start before it stops (hours within one day); valid: empty, or DAYS HH:MM-HH:MM, e.g. MON-FRI 07:00-19:00; DAYS is DAILY, a day (MON…SUN), a range MON-FRI or a list MON,WED,FRI`,
        ],
        [
            "unpinned image",
            { mcpClientImage: "artefactual/archivematica-mcp-client" },
            `${PROJECT}:mcpClientImage: "artefactual/archivematica-mcp-client" has no tag or digest; valid: empty, or an image with a tag other than latest or a sha256 digest, at most 255 characters, such as artefactual/archivematica-dashboard:v1.18.0`,
        ],
        ["version", { archivematicaVersion: "1.16" }, `${PROJECT}:archivematicaVersion: "1.16" is not allowed; valid: 1.18, 1.17`],
        [
            "region missing",
            { "aws:region": undefined },
            "aws:region: required key is not set; valid: an AWS Region such as eu-west-2 (one of 38 with published Availability Zones)",
        ],
    ];
    for (const [title, overrides, message] of cases) {
        it(title, () => {
            const values = rawValues(overrides);
            if (overrides["aws:region"] === undefined && "aws:region" in overrides) delete values["aws:region"];
            assert.strictEqual(
                errorOf(() => parseConfig({ project: PROJECT, stack: "test", values, secretKeys: [] })),
                message,
            );
        });
    }

    it("a secret key set in plain text is refused without echoing the value", () => {
        const message = errorOf(() => testConfig({ searchMode: "external", searchUrl: "https://u:hunter2@es.example.org:9243" }));
        assert.strictEqual(
            message,
            `${PROJECT}:searchUrl: must be stored encrypted; valid: a secret set with: pulumi config set --secret searchUrl <value>`,
        );
        assert.ok(!message.includes("hunter2"));
    });
});

describe("stack files", () => {
    it("every Pulumi.<name>.yaml in the root is a stack", () => {
        assert.deepStrictEqual(listStacks(), ["prod", "staging"]);
    });

    it("loads staging as the CLI passes it: strings, JSON lists, project defaults", () => {
        const s = loadStackConfig("staging");
        assert.strictEqual(s.values[`${PROJECT}:availabilityZones`], "2");
        assert.strictEqual(s.values[`${PROJECT}:allowedCidrs`], '["203.0.113.0/24","198.51.100.16/28"]');
        assert.strictEqual(s.values[`${PROJECT}:dbEngineVersion`], "8.4"); // the Pulumi.yaml default
        assert.deepStrictEqual(s.secretKeys, []);
    });

    it("replaces secure values with marked placeholders and lists them as secrets", () => {
        const s = loadStackConfig("prod");
        assert.deepStrictEqual(s.secretKeys, [`${PROJECT}:searchUrl`]);
        assert.strictEqual(s.values[`${PROJECT}:searchUrl`], "https://offline-plan:secure-placeholder@secure-placeholder.invalid:9200");
    });

    it("both stacks validate", () => {
        for (const stack of listStacks()) parseConfig(loadStackConfig(stack));
    });

    describe("bad stack files", () => {
        let dir: string;
        beforeEach(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "am-stack-"));
            fs.copyFileSync(path.join(__dirname, "..", "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
        });
        afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

        it("a key without namespace is the project's, as the CLI reads it", () => {
            fs.writeFileSync(path.join(dir, "Pulumi.bad.yaml"), "config:\n  aws:region: eu-west-2\n  owner: me\n");
            const stack = loadStackConfig("bad", dir);
            assert.strictEqual(stack.values[`${PROJECT}:owner`], "me");
            const lines = errorOf(() => parseConfig(stack)).split("\n");
            assert.strictEqual(
                lines[0],
                `${PROJECT}:environment: required key is not set; valid: 2-20 lower-case letters, digits or single hyphens, starting with a letter and not ending with a hyphen`,
            );
        });

        const cases: [string, string, string][] = [
            ["unknown stack", "", `unknown stack "nope"; valid: bad`],
            ["not YAML", "config: [unclosed", "Pulumi.bad.yaml: is not valid YAML"],
            ["config not a map", "config: 3\n", "Pulumi.bad.yaml: config: must be a map of key: value"],
        ];
        for (const [title, text, message] of cases) {
            it(title, () => {
                fs.writeFileSync(path.join(dir, "Pulumi.bad.yaml"), text);
                const stack = title === "unknown stack" ? "nope" : "bad";
                const got = errorOf(() => loadStackConfig(stack, dir));
                assert.ok(got.startsWith(message), got);
                assert.ok(!got.includes("\n"));
            });
        }
    });
});
