/**
 * The AWS fact tables of lib/ against their sources where a copy is at hand (the AWS provider's own
 * Region list and configuration keys), and the offline plan's answers against the tables (it must not
 * invent Availability Zones or log-delivery accounts).
 */
import * as assert from "assert";
import * as aws from "../lib/aws";
import { AWS_CONFIG_KEYS } from "../config";
import { AWS_PROVIDER_KEYS } from "../lib/aws-provider-config";
import { PLANNABLE_REGIONS, REGIONS, zoneNames } from "../lib/aws-regions";
import { ELB_LOG_DELIVERY_ACCOUNTS } from "../lib/elb-log-delivery";
import { emailAddressProblem } from "../lib/email-address";
import { parseImageReference } from "../lib/image-reference";
import { albInboundRules } from "../lib/security-group-quotas";
import { answerInvoke } from "../tools/mock-aws";
import { stackPlan } from "./harness";

describe("lib: AWS facts", () => {
    it("the Region table holds exactly the Regions @pulumi/aws knows", () => {
        assert.deepStrictEqual(Object.keys(REGIONS).sort(), [...new Set(Object.values(aws.Region) as string[])].sort());
    });

    it("every plannable Region has at least two zones, and the ISO partitions none", () => {
        for (const r of PLANNABLE_REGIONS) assert.ok(REGIONS[r].zones! >= 2, r);
        for (const [r, f] of Object.entries(REGIONS)) if (f.partition.startsWith("aws-iso")) assert.strictEqual(f.zones, undefined, r);
    });

    it("the provider key table has a type for exactly the keys of @pulumi/aws", () => {
        assert.deepStrictEqual(Object.keys(AWS_PROVIDER_KEYS).sort(), [...AWS_CONFIG_KEYS].sort());
    });

    it("log-delivery accounts are for known Regions, twelve digits each", () => {
        for (const [r, a] of Object.entries(ELB_LOG_DELIVERY_ACCOUNTS)) {
            assert.ok(REGIONS[r], r);
            assert.match(a, /^\d{12}$/);
        }
    });

    it("the offline plan's zones are the Region's, never more (us-west-1: two)", () => {
        const names = (region: string) =>
            answerInvoke({ token: "aws:index/getAvailabilityZones:getAvailabilityZones", inputs: {} } as never, region).names;
        assert.deepStrictEqual(names("us-west-1"), ["us-west-1a", "us-west-1b"]);
        assert.deepStrictEqual(names("eu-west-2"), zoneNames("eu-west-2"));
        assert.throws(() => names("us-iso-east-1"), /no Availability Zones known for region us-iso-east-1/);
    });

    it("the offline plan fails getServiceAccount where the provider does", () => {
        assert.throws(
            () => answerInvoke({ token: "aws:elb/getServiceAccount:getServiceAccount", inputs: {} } as never, "ap-southeast-7"),
            /^Error: unsupported AWS Region: ap-southeast-7$/,
        );
    });
});

describe("lib: security-group quotas against the plan", () => {
    it("the load balancer's group gets the inbound rules the config check counts (2 networks in staging)", async function () {
        this.timeout(120000);
        const { run, stackConfig } = await stackPlan("staging");
        const networks = (JSON.parse(stackConfig.values["archivematica-infra:allowedCidrs"]) as string[]).length;
        const inbound = run.resources.filter(
            (r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && typeof r.inputs.cidrIpv4 === "string",
        );
        assert.strictEqual(inbound.length, albInboundRules(networks));
    });
});

describe("lib: image references (distribution/reference grammar)", () => {
    const table: [string, string | undefined][] = [
        ["artefactual/archivematica-dashboard:v1.18.0", undefined],
        ["registry.example.org:5000/am/dashboard:v1", undefined],
        ["localhost/am:v1", undefined],
        ["[::1]:5000/am:v1", undefined],
        [`am@sha256:${"a".repeat(64)}`, undefined],
        ["am::v1", 'has more than one ":" after the registry; a tag follows one ":"'],
        ["registry.example.org:65536/am:v1", "names the registry port 65536, outside 1-65535"],
        ["Am/Dashboard:v1", 'has the path component "Am", which is not lower-case letters and digits joined by ., _, __ or -'],
        ["am:-v1", 'has the tag "-v1", which is not 1-128 letters, digits, _, . or - (not starting with . or -)'],
        ["am@sha256:xyz", 'has "@sha256:xyz", which is not a digest (<algorithm>:<hex>)'],
        [`a/${"b".repeat(260)}:v1`, "is 265 characters long"],
    ];
    for (const [ref, problem] of table)
        it(ref.slice(0, 50), () => {
            const parsed = parseImageReference(ref);
            assert.strictEqual("problem" in parsed ? parsed.problem : undefined, problem);
        });
});

describe("lib: e-mail addresses SNS delivers to", () => {
    const table: [string, string | undefined][] = [
        ["digital-preservation@example.org", undefined],
        ["first.last+alarms@sub.example.co.uk", undefined],
        ["ops@xn--bibliothque-ogb.example", undefined],
        ["ops@localhost", 'has the domain "localhost", which is not a DNS name with a dot'],
        ["ops@example.123", 'has the domain "example.123", whose top-level domain is all digits'],
        [".ops@example.org", `has the local part ".ops", which is not letters, digits and !#$%&'*+/=?^_\`{|}~- in dot-separated words`],
        ['"ops"@example.org', `has the local part ""ops"", which is not letters, digits and !#$%&'*+/=?^_\`{|}~- in dot-separated words`],
        [`${"a".repeat(65)}@example.org`, "has a local part of 65 characters, more than 64"],
        ["ops@-example.org", 'has the domain "-example.org", which is not a DNS name with a dot'],
        ["ops@exämple.org", "has characters outside 7-bit ASCII (write the domain in Punycode; SES/SNS take no other)"],
    ];
    for (const [address, problem] of table) it(address.slice(0, 50), () => assert.strictEqual(emailAddressProblem(address), problem));
});
