/**
 * Issue 20, classes 2 and 3: provider and engine keys, and AWS identifiers checked for what AWS accepts
 * — one exact line per case, before anything is planned. The checks go by the kind of value a key is
 * declared as (`arn`, `region`, e-mail, schedule, image, CIDR), so a key added later gets them too; the
 * last tests hold that generic mechanism to it.
 */
import * as assert from "assert";
import { AWS_CONFIG_KEYS, ConfigError, parseConfig } from "../config";
import { CONFIG_KEYS, KeySpec, PROJECT } from "../config/schema";
import { rawValues } from "./harness";

const ns = (key: string) => `${PROJECT}:${key}`;
const spec = (key: string): KeySpec => CONFIG_KEYS.find((s) => s.key === key)!;
const CERT = (region: string, account = "123456789012") =>
    `arn:aws:acm:${region}:${account}:certificate/6f1c9a52-3b7e-4d0a-9c21-8e4f5b2d7a10`;
const SECRET = (region: string, account = "123456789012") =>
    `arn:aws:secretsmanager:${region}:${account}:secret:ecr-pullthroughcache/docker-hub-AbCdEf`;
const REGION_VALID = "an AWS Region such as eu-west-2 (one of 38 with published Availability Zones)";

/** The error lines of a config (the base config with `overrides`), or [] when it is valid. */
function lines(overrides: Record<string, string | undefined>, secretKeys: string[] = []): string[] {
    const values = rawValues(overrides);
    for (const [k, v] of Object.entries(overrides)) if (v === undefined) delete values[k.includes(":") ? k : ns(k)];
    try {
        parseConfig({
            project: PROJECT,
            stack: "test",
            values,
            secretKeys,
            policy: { file: "policy/config/test.json", minorVersionUpgradeRequired: true },
        });
        return [];
    } catch (e) {
        assert.ok(e instanceof ConfigError, String(e));
        return e.lines;
    }
}

/** [what, overrides, exact lines] */
type Case = [string, Record<string, string | undefined>, string[]];

describe("config, class 2: provider and engine keys are refused or handled, never ignored", () => {
    const cases: Case[] = [
        [
            "aws:accessKey in plain text",
            { "aws:accessKey": "AKIAIOSFODNN7EXAMPLE" },
            [
                "aws:accessKey: is a long-lived AWS credential in a stack file that is committed to git (encrypted or not); valid: unset: use an AWS profile (aws:profile, or AWS_PROFILE) or, in CI, an OIDC role (aws:assumeRoleWithWebIdentity or the CI's role credentials)",
            ],
        ],
        [
            "aws:secretKey, even encrypted",
            { "aws:secretKey": "[secure placeholder]" },
            [
                "aws:secretKey: is a long-lived AWS credential in a stack file that is committed to git (encrypted or not); valid: unset: use an AWS profile (aws:profile, or AWS_PROFILE) or, in CI, an OIDC role (aws:assumeRoleWithWebIdentity or the CI's role credentials)",
            ],
        ],
        [
            "aws:maxRetries that is not a number",
            { "aws:maxRetries": "lots" },
            ['aws:maxRetries: "lots" is not a whole number from 0; valid: a whole number from 0'],
        ],
        ["aws:insecure as yes", { "aws:insecure": "yes" }, ['aws:insecure: "yes" is not a boolean; valid: true, false']],
        [
            "aws:retryMode out of its values",
            { "aws:retryMode": "eager" },
            ['aws:retryMode: "eager" is not allowed; valid: standard, adaptive'],
        ],
        [
            "aws:allowedAccountIds as one number",
            { "aws:allowedAccountIds": "123456789012" },
            ["aws:allowedAccountIds: is not a list of strings; valid: a list of strings"],
        ],
        [
            "aws:allowedAccountIds with a short id",
            { "aws:allowedAccountIds": '["12345"]' },
            ['aws:allowedAccountIds: item "12345" is not an AWS account id; valid: a list of 12-digit account ids'],
        ],
        ["aws:defaultTags as a string", { "aws:defaultTags": "Project=am" }, ["aws:defaultTags: is not a map; valid: a map with tags"]],
        [
            "aws:defaultTags with a field the provider lacks",
            { "aws:defaultTags": '{"Project":"am"}' },
            ['aws:defaultTags: has the field "Project", which the provider does not know; valid fields: tags; valid: a map with tags'],
        ],
        [
            "aws:region that AWS does not have",
            { "aws:region": "eu-west-9" },
            [`aws:region: "eu-west-9" is not an AWS Region; valid: ${REGION_VALID}`],
        ],
        [
            "aws:region in an isolated partition with no published zones",
            { "aws:region": "us-iso-east-1" },
            [
                `aws:region: "us-iso-east-1" is in the isolated aws-iso partition, whose Availability Zones are not published, so it cannot be planned; valid: ${REGION_VALID}`,
            ],
        ],
        [
            "pulumi:disable-default-providers naming aws",
            { "pulumi:disable-default-providers": '["aws"]' },
            [
                "pulumi:disable-default-providers: disables the default provider of aws, which this program registers every resource with (the engine would refuse each registration); valid: unset, or a list of other packages' names",
            ],
        ],
        [
            "pulumi:disable-default-providers with *",
            { "pulumi:disable-default-providers": '["kubernetes", " * "]' },
            [
                "pulumi:disable-default-providers: disables the default provider of every package, which this program registers every resource with (the engine would refuse each registration); valid: unset, or a list of other packages' names",
            ],
        ],
        [
            "pulumi:disable-default-providers that is not a list",
            { "pulumi:disable-default-providers": "aws" },
            ["pulumi:disable-default-providers: is not a list of package names; valid: a list of package names, without aws, random or *"],
        ],
        [
            "pulumi:autonaming",
            { "pulumi:autonaming": '{"mode":"verbatim"}' },
            [
                "pulumi:autonaming: changes the physical name every provider gives every resource, which neither the offline plan nor the policy pack sees; valid: unset (names are set by the program)",
            ],
        ],
        [
            "a pulumi: key nobody reads",
            { "pulumi:colour": "blue" },
            ["pulumi:colour: is not a key the Pulumi CLI or engine reads; valid: pulumi:disable-default-providers, pulumi:tags"],
        ],
    ];
    for (const [what, overrides, expected] of cases) {
        it(what, () =>
            assert.deepStrictEqual(
                lines(
                    overrides,
                    Object.keys(overrides).filter((k) => k === "aws:secretKey"),
                ),
                expected,
            ),
        );
    }

    it("handled: a list of other packages, stack tags, a profile, a role to assume", () => {
        assert.deepStrictEqual(
            lines({
                "pulumi:disable-default-providers": '["kubernetes"]',
                "pulumi:tags": '{"team":"dp"}',
                "aws:profile": "archivematica",
                "aws:assumeRoles": '[{"roleArn":"arn:aws:iam::123456789012:role/deploy","sessionName":"pulumi"}]',
                "aws:allowedAccountIds": '["123456789012"]',
            }),
            [],
        );
    });

    it("every aws: key of @pulumi/aws has a declared type here", () => {
        for (const key of AWS_CONFIG_KEYS) assert.deepStrictEqual(lines({ [`aws:${key}`]: "\u0000not-json" }).length <= 1, true, key);
    });
});

describe("config, class 3: AWS identifiers are what AWS accepts", () => {
    const cases: Case[] = [
        [
            "a certificate whose id is not a UUID",
            { certificateArn: "arn:aws:acm:eu-west-2:123456789012:certificate/------------------------------------" },
            [
                `${ns("certificateArn")}: "arn:aws:acm:eu-west-2:123456789012:certificate/----------..." is not an ACM certificate (certificate/<lower-case UUID>); valid: ${spec("certificateArn").valid}`,
            ],
        ],
        [
            "a certificate of another partition",
            { certificateArn: "arn:aws-us-gov:acm:eu-west-2:123456789012:certificate/6f1c9a52-3b7e-4d0a-9c21-8e4f5b2d7a10" },
            [
                `${ns("certificateArn")}: is in the aws-us-gov partition but the stack's region eu-west-2 (aws:region) is in aws; valid: an ACM certificate in eu-west-2`,
            ],
        ],
        [
            "a certificate and a secret in two accounts",
            { certificateArn: CERT("eu-west-2", "111111111111"), dockerHubCredentialsSecretArn: SECRET("eu-west-2", "222222222222") },
            [
                `${ns("dockerHubCredentialsSecretArn")}: is in account 222222222222 but certificateArn is in 111111111111; AWS uses both only from the account the stack deploys to; valid: a secret named ecr-pullthroughcache/… of account 111111111111`,
            ],
        ],
        [
            "a certificate of an account aws:allowedAccountIds does not allow",
            { certificateArn: CERT("eu-west-2", "111111111111"), "aws:allowedAccountIds": '["123456789012"]' },
            [
                `${ns("certificateArn")}: is in account 111111111111, which aws:allowedAccountIds does not allow; valid: an ACM certificate of account 123456789012`,
            ],
        ],
        [
            "a replica in another partition",
            { aipReplicaRegion: "cn-north-1" },
            [
                `${ns("aipReplicaRegion")}: "cn-north-1" is in the aws-cn partition but the stack's region eu-west-2 is in aws; valid: empty, or an AWS region of the aws partition other than eu-west-2, such as eu-west-1`,
            ],
        ],
        [
            "a replica region AWS does not have",
            { aipReplicaRegion: "eu-west-9" },
            [
                `${ns("aipReplicaRegion")}: "eu-west-9" is not an AWS Region; valid: empty, or an AWS region of the aws partition other than eu-west-2, such as eu-west-1`,
            ],
        ],
        [
            "three zones where an account gets two",
            { "aws:region": "us-west-1", certificateArn: CERT("us-west-1"), availabilityZones: "3" },
            [`${ns("availabilityZones")}: 3 is more than the 2 Availability Zones us-west-1 gives an account; valid: 2`],
        ],
        [
            "an image with repo::tag",
            { dashboardImage: "artefactual/archivematica-dashboard::v1.18.0" },
            [
                `${ns("dashboardImage")}: "artefactual/archivematica-dashboard::v1.18.0" has more than one ":" after the registry; a tag follows one ":"; valid: ${spec("dashboardImage").valid}`,
            ],
        ],
        [
            "an image from a registry port above 65535",
            { mcpClientImage: "registry.example.org:70000/am/mcp-client:v1.18.0" },
            [
                `${ns("mcpClientImage")}: "registry.example.org:70000/am/mcp-client:v1.18.0" names the registry port 70000, outside 1-65535; valid: ${spec("mcpClientImage").valid}`,
            ],
        ],
        [
            "a mirror on port 0",
            { imageRegistry: "registry.example.org:0/mirror" },
            [
                `${ns("imageRegistry")}: "registry.example.org:0/mirror" names the registry port 0, outside 1-65535; valid: ${spec("imageRegistry").valid}`,
            ],
        ],
        [
            "an alarm address SNS cannot send to (non-ASCII)",
            { alarmEmail: "archivist@bibliothèque.example" },
            [
                `${ns("alarmEmail")}: "archivist@bibliothèque.example" has characters outside 7-bit ASCII (write the domain in Punycode; SES/SNS take no other); valid: ${spec("alarmEmail").valid}`,
            ],
        ],
        [
            "an alarm address with a double dot",
            { alarmEmail: "ops..team@example.org" },
            [
                `${ns("alarmEmail")}: "ops..team@example.org" has the local part "ops..team", which is not letters, digits and !#$%&'*+/=?^_\`{|}~- in dot-separated words; valid: ${spec("alarmEmail").valid}`,
            ],
        ],
        [
            "the smoke test every minute",
            { smokeTestSchedule: "cron(* * * * ? *)" },
            [
                `${ns("smokeTestSchedule")}: "cron(* * * * ? *)" fires 1 minute apart, less than the 58 minutes needed between runs (one run's budget with ingestStartGraceMinutes 30 and ingestMonitorSchedule rate(5 minutes)); valid: runs at least 58 minutes apart, e.g. rate(1 day); or a shorter ingestStartGraceMinutes or ingestMonitorSchedule`,
            ],
        ],
        [
            "the smoke test with five fields",
            { smokeTestSchedule: "cron(0 6 * * ?)" },
            [
                `${ns("smokeTestSchedule")}: "cron(0 6 * * ?)" has 5 fields separated by single spaces, not 6 (minutes hours day-of-month month day-of-week year); valid: ${spec("smokeTestSchedule").valid}`,
            ],
        ],
        [
            "a backup at hour 25",
            { backupSchedule: "cron(0 25 * * ? *)" },
            [`${ns("backupSchedule")}: "cron(0 25 * * ? *)" has 25 in hours, outside 0-23; valid: ${spec("backupSchedule").valid}`],
        ],
        [
            "a backup on 30 February",
            { backupSchedule: "cron(0 3 30 2 ? *)" },
            [
                `${ns("backupSchedule")}: "cron(0 3 30 2 ? *)" never fires after ${new Date().toISOString().slice(0, 10)}; valid: ${spec("backupSchedule").valid}`,
            ],
        ],
        [
            "a backup in a year gone by",
            { backupSchedule: "cron(0 3 * * ? 2020)" },
            [
                `${ns("backupSchedule")}: "cron(0 3 * * ? 2020)" never fires after ${new Date().toISOString().slice(0, 10)}; valid: ${spec("backupSchedule").valid}`,
            ],
        ],
        [
            "a link-local VPC",
            { vpcCidr: "169.254.0.0/16" },
            [
                `${ns("vpcCidr")}: "169.254.0.0/16" overlaps 169.254.0.0/16, link-local, which AWS reserves and cannot assign to a VPC; valid: ${spec("vpcCidr").valid}`,
            ],
        ],
        [
            "a multicast VPC",
            { vpcCidr: "224.1.0.0/16" },
            [`${ns("vpcCidr")}: "224.1.0.0/16" overlaps 224.0.0.0/4, multicast; valid: ${spec("vpcCidr").valid}`],
        ],
        [
            "a VPC in Docker's bridge range",
            { vpcCidr: "172.17.0.0/16" },
            [
                `${ns("vpcCidr")}: "172.17.0.0/16" overlaps 172.17.0.0/16, used by AWS services (Docker's bridge network); the VPC User Guide says not to use it; valid: ${spec("vpcCidr").valid}`,
            ],
        ],
        [
            "a multicast client network",
            { allowedCidrs: '["233.252.0.0/24"]' },
            [
                `${ns("allowedCidrs")}: item "233.252.0.0/24" is in 224.0.0.0/4, multicast, which no client connects from; valid: ${spec("allowedCidrs").valid}`,
            ],
        ],
        [
            "40 client networks: 80 inbound rules on one security group",
            { allowedCidrs: JSON.stringify(Array.from({ length: 40 }, (_, i) => `198.18.${i}.0/24`)) },
            [
                `${ns("allowedCidrs")}: 40 networks make 80 inbound rules on the load balancer's security group (ports 443 and 80 each), more than the 60 AWS allows per group by default; valid: at most 30 networks (merge neighbouring ones into wider CIDRs), or a raised quota set as aws-ec2-securitygroup-restrict-rule-count maximumRulesPerDirection in the policy config`,
            ],
        ],
        [
            "ALB access logs in a Region the provider has no log-delivery account for",
            { "aws:region": "ap-southeast-7", certificateArn: CERT("ap-southeast-7"), albAccessLogs: "true" },
            [
                `${ns("albAccessLogs")}: true in ap-southeast-7, where the AWS provider knows no Elastic Load Balancing log-delivery account (aws.elb.getServiceAccount fails: "unsupported AWS Region"); valid: false, or a Region among af-south-1, ap-east-1, ap-northeast-1, ap-northeast-2, ap-northeast-3, ap-south-1, ap-southeast-1, ap-southeast-2, ap-southeast-3, ca-central-1, cn-north-1, cn-northwest-1, eu-central-1, eu-north-1, eu-south-1, eu-west-1, eu-west-2, eu-west-3, me-south-1, sa-east-1, us-east-1, us-east-2, us-gov-east-1, us-gov-west-1, us-west-1, us-west-2`,
            ],
        ],
    ];
    for (const [what, overrides, expected] of cases) it(what, () => assert.deepStrictEqual(lines(overrides), expected));

    it("what AWS accepts passes: a weekday cron, 30 networks, a GovCloud stack with a GovCloud replica and certificate", () => {
        assert.deepStrictEqual(lines({ smokeTestSchedule: "cron(0 6 ? * MON-FRI *)", backupSchedule: "cron(0 3 ? * 1#1 *)" }), []);
        assert.deepStrictEqual(lines({ allowedCidrs: JSON.stringify(Array.from({ length: 30 }, (_, i) => `198.18.${i}.0/24`)) }), []);
        assert.deepStrictEqual(
            lines({
                "aws:region": "us-gov-west-1",
                certificateArn: "arn:aws-us-gov:acm:us-gov-west-1:123456789012:certificate/6f1c9a52-3b7e-4d0a-9c21-8e4f5b2d7a10",
                aipReplicaRegion: "us-gov-east-1",
            }),
            [],
        );
    });
});

describe("config, class 3: every key of a kind gets its kind's checks (for keys added later)", () => {
    it("ARN keys and Region keys are declared by kind, and each ARN key is held to the stack's Region", () => {
        const arns = CONFIG_KEYS.filter((k) => k.format?.kind === "arn").map((k) => k.key);
        assert.deepStrictEqual(arns.slice(0, 2).sort(), ["certificateArn", "dockerHubCredentialsSecretArn"]);
        for (const key of arns) {
            const f = spec(key).format!;
            if (f.kind !== "arn" || !f.sameRegion) continue;
            const got = lines({ [key]: `arn:aws:${f.service}:us-east-1:123456789012:x` });
            assert.ok(got.length === 1 && got[0].startsWith(`${ns(key)}: `), `${key}: ${got.join(" | ")}`);
        }
        assert.ok(CONFIG_KEYS.some((k) => k.format?.kind === "region"));
    });
});
