/**
 * Bad stack input never gets through (issue 9): a table of every case with its exact message, a few
 * of them through the plan command with its exit code, and a property-based test that gives every
 * declared key wrong values and checks the report: one line per wrong key, naming it, and nothing
 * planned.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import fc from "fast-check";
import { parse, stringify } from "yaml";
import { AWS_CONFIG_KEYS, ConfigError, parseConfig } from "../config";
import { CONFIG_KEYS, KeySpec, PROJECT } from "../config/schema";
import { checkInput, HELP } from "../tools/plan";
import { StackFileError } from "../tools/stack-files";
import { rawValues, testConfig } from "./harness";
import { runPlan } from "./support/cli";

const ROOT = path.join(__dirname, "..");
const ns = (key: string) => `${PROJECT}:${key}`;
const spec = (key: string): KeySpec => CONFIG_KEYS.find((s) => s.key === key)!;
const UNKNOWN_NAMESPACE_VALID = `valid: ${PROJECT}:<key>, aws:<provider key>, pulumi:<key>`;

function linesOf(fn: () => unknown): string[] {
    try {
        fn();
    } catch (e) {
        assert.ok(e instanceof ConfigError || e instanceof StackFileError, `expected a config error, got ${(e as Error).stack}`);
        return e.message.split("\n");
    }
    throw new Error("expected an error");
}

describe("config: every bad input of issue 9 is refused, naming the key", () => {
    /** [what, overrides (keys without namespace are the project's), secret keys, exact lines] */
    const cases: [string, Record<string, string | undefined>, string[], string[]][] = [
        [
            "near-miss namespace (typo)",
            { "archivematica-infa:protectData": "true" },
            [],
            [
                `archivematica-infa:protectData: unknown namespace "archivematica-infa" (did you mean ${ns("protectData")}?); ${UNKNOWN_NAMESPACE_VALID}`,
            ],
        ],
        [
            "near-miss namespace (part of the project name), two keys",
            { "archivematica:dbMultiAz": "true", "archivematica:queueBackend": "redis" },
            [],
            [
                `archivematica:dbMultiAz: unknown namespace "archivematica" (did you mean ${ns("dbMultiAz")}?); ${UNKNOWN_NAMESPACE_VALID}`,
                `archivematica:queueBackend: unknown namespace "archivematica" (did you mean ${ns("queueBackend")}?); ${UNKNOWN_NAMESPACE_VALID}`,
            ],
        ],
        [
            "AWS provider key typo",
            { "aws:regoin": "eu-west-2" },
            [],
            [`aws:regoin: not a configuration key of the AWS provider (did you mean aws:region?); valid: ${AWS_CONFIG_KEYS.join(", ")}`],
        ],
        [
            "secure value for a plain key",
            { organisationName: "[secure placeholder]" },
            ["organisationName"],
            [
                `${ns("organisationName")}: is encrypted (secure:) but is not a secret; valid: a plain value, set with: pulumi config set organisationName <value>`,
            ],
        ],
        ...(["\u0000", "\u001b", "\u2028", "\ud800"] as const).map((c): [string, Record<string, string>, string[], string[]] => [
            `control character U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")} in a name that reaches containers`,
            { organisationName: `Example${c}Archives` },
            [],
            [
                `${ns("organisationName")}: contains the control character U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}; valid: ${spec("organisationName").valid}`,
            ],
        ]),
        [
            "time zone that does not exist",
            { timeZone: "Mars/Olympus" },
            [],
            [`${ns("timeZone")}: "Mars/Olympus" is not a time zone this runtime knows; valid: ${spec("timeZone").valid}`],
        ],
        [
            "time zone typo",
            { timeZone: "Europe/Londn" },
            [],
            [`${ns("timeZone")}: "Europe/Londn" is not a time zone this runtime knows; valid: ${spec("timeZone").valid}`],
        ],
        [
            "time zone in the wrong case (zoneinfo file names are case-sensitive)",
            { timeZone: "europe/london" },
            [],
            [`${ns("timeZone")}: "europe/london" is not a time zone this runtime knows; valid: ${spec("timeZone").valid}`],
        ],
        [
            "no allowed networks",
            { allowedCidrs: "[]" },
            [],
            [`${ns("allowedCidrs")}: is an empty list; valid: ${spec("allowedCidrs").valid}`],
        ],
        [
            "allowed CIDR with host bits set",
            { allowedCidrs: '["203.0.113.7/24"]' },
            [],
            [
                `${ns("allowedCidrs")}: item "203.0.113.7/24" has host bits set (the network is 203.0.113.0/24); valid: ${spec("allowedCidrs").valid}`,
            ],
        ],
        [
            "VPC CIDR with host bits set",
            { vpcCidr: "10.40.1.0/16" },
            [],
            [`${ns("vpcCidr")}: has host bits set (the network is 10.40.0.0/16); valid: ${spec("vpcCidr").valid}`],
        ],
        [
            "the same subnets public and private",
            {
                vpcId: "vpc-0a1b2c3d4e5f67890",
                publicSubnetIds: '["subnet-0a1b2c3d4e5f60001","subnet-0a1b2c3d4e5f60002"]',
                privateSubnetIds: '["subnet-0a1b2c3d4e5f60002","subnet-0a1b2c3d4e5f60003"]',
            },
            [],
            [
                `${ns("privateSubnetIds")}: subnet-0a1b2c3d4e5f60002 is also in publicSubnetIds; valid: private subnets other than the public ones (tasks and data stores never share the load balancer's subnets)`,
            ],
        ],
        [
            "storage limit equal to the allocation",
            { dbAllocatedStorageGiB: "100", dbMaxAllocatedStorageGiB: "100" },
            [],
            [
                `${ns("dbMaxAllocatedStorageGiB")}: 100 is less than 10 % above dbAllocatedStorageGiB (100), which RDS storage autoscaling needs; valid: 110 to 65536`,
            ],
        ],
        [
            "image pinned to latest",
            { dashboardImage: "artefactual/archivematica-dashboard:latest" },
            [],
            [
                `${ns("dashboardImage")}: "artefactual/archivematica-dashboard:latest" is not pinned (latest moves); valid: ${spec("dashboardImage").valid}`,
            ],
        ],
        [
            "1 MB image reference",
            { mcpServerImage: `example.org/${"a".repeat(1_000_000)}:v1` },
            [],
            [`${ns("mcpServerImage")}: is 1000015 characters long; valid: ${spec("mcpServerImage").valid}`],
        ],
        [
            "certificate from another region",
            { certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/6f1c9a52-3b7e-4d0a-9c21-8e4f5b2d7a10" },
            [],
            [
                `${ns("certificateArn")}: is in eu-west-1 but the stack's region (aws:region) is eu-west-2; valid: an ACM certificate in eu-west-2`,
            ],
        ],
        ["blank owner tag", { owner: "   " }, [], [`${ns("owner")}: is blank; valid: ${spec("owner").valid}`]],
        ["blank cost centre tag", { costCentre: " " }, [], [`${ns("costCentre")}: is blank; valid: ${spec("costCentre").valid}`]],
        [
            "only privateSubnetIds set, without vpcId",
            { privateSubnetIds: '["subnet-0a1b2c3d4e5f60003"]' },
            [],
            [`${ns("privateSubnetIds")}: subnet ids are only used with an existing VPC; valid: an empty list, or set ${ns("vpcId")}`],
        ],
        [
            "several required keys missing: all reported at once, in declaration order",
            { owner: undefined, environment: undefined, adminEmail: undefined },
            [],
            [
                `${ns("environment")}: required key is not set; valid: ${spec("environment").valid}`,
                `${ns("owner")}: required key is not set; valid: ${spec("owner").valid}`,
                `${ns("adminEmail")}: required key is not set; valid: ${spec("adminEmail").valid}`,
            ],
        ],
        [
            "a key error and a rule error together; the rule reading the bad key is skipped",
            { availabilityZones: "9", dbAllocatedStorageGiB: "100", dbMaxAllocatedStorageGiB: "100" },
            [],
            [
                `${ns("availabilityZones")}: 9 is out of range; valid: 2 to 3`,
                `${ns("dbMaxAllocatedStorageGiB")}: 100 is less than 10 % above dbAllocatedStorageGiB (100), which RDS storage autoscaling needs; valid: 110 to 65536`,
            ],
        ],
    ];
    for (const [what, overrides, secretKeys, lines] of cases) {
        it(what, () => {
            assert.deepStrictEqual(
                linesOf(() => testConfig(overrides, secretKeys)),
                lines,
            );
        });
    }

    it("valid time zones the IANA list names only as links are accepted: Etc/GMT+5, EST5EDT", () => {
        for (const timeZone of ["Etc/GMT+5", "EST5EDT", "UTC", "Europe/London"])
            assert.strictEqual(testConfig({ timeZone }).bootstrap.timeZone, timeZone);
    });

    it("an image pinned by digest is accepted", () => {
        const image = `artefactual/archivematica-mcp-client@sha256:${"a".repeat(64)}`;
        assert.deepStrictEqual(testConfig({ mcpClientImage: image }).services.images, { "mcp-client": image });
    });

    it("every AWS provider key comes from @pulumi/aws itself (region among them)", () => {
        assert.ok(AWS_CONFIG_KEYS.includes("region") && AWS_CONFIG_KEYS.includes("defaultTags") && AWS_CONFIG_KEYS.length > 20);
        assert.deepStrictEqual(testConfig({ "aws:profile": "archivematica" }).region, "eu-west-2");
    });

    it("log retention below the policy config's minimum names logRetentionDays", () => {
        assert.deepStrictEqual(
            linesOf(() =>
                parseConfig({
                    project: PROJECT,
                    stack: "test",
                    values: rawValues({ logRetentionDays: "7" }),
                    secretKeys: [],
                    policy: { file: "policy/config/test.json", minimumLogRetentionDays: 30 },
                }),
            ),
            [
                `${ns("logRetentionDays")}: 7 is below the 30 days this stack's policy config requires (policy/config/test.json: aws-cloudwatch-loggroup-require-retention minimumRetentionDays); valid: 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653`,
            ],
        );
    });
});

describe("stack files: what only the YAML shows", () => {
    let dir: string;
    const staging = fs.readFileSync(path.join(ROOT, "Pulumi.staging.yaml"), "utf8");
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "am-bad-"));
        fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
        fs.mkdirSync(path.join(dir, "policy", "config"), { recursive: true });
        fs.copyFileSync(path.join(ROOT, "policy/config/staging.json"), path.join(dir, "policy/config/t.json"));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const replace = (from: string, to: string) => {
        assert.ok(staging.includes(from), from);
        return staging.replace(from, to);
    };
    /** [what, stack file text, exact lines] */
    const cases: [string, () => string, string[]][] = [
        [
            "YAML null reaches the program as the empty string, as the CLI hands it over: required keys say they are empty",
            () =>
                replace("organisationName: Example University Archives", "organisationName:")
                    .replace("organisationId: example-archives", "organisationId: ~")
                    .replace("owner: digital-preservation@example.org", "owner: null"),
            [
                `${ns("owner")}: is empty (a YAML null, which the Pulumi CLI passes as ""); valid: ${spec("owner").valid}`,
                `${ns("organisationName")}: is empty (a YAML null, which the Pulumi CLI passes as ""); valid: ${spec("organisationName").valid}`,
                `${ns("organisationId")}: is empty (a YAML null, which the Pulumi CLI passes as ""); valid: 1-64 letters, digits, _ or -`,
            ],
        ],
        [
            "a list where a string belongs is refused as the CLI refuses it (Pulumi.yaml declares a string)",
            () => replace("organisationName: Example University Archives", "organisationName: [Example, Archives]"),
            [
                `${ns("organisationName")}: a list is not a string, which the Pulumi CLI refuses before the program runs (Pulumi.yaml declares it string); valid: ${spec("organisationName").valid}`,
            ],
        ],
        [
            "a number where a string belongs: 8.0 reaches the program as 8, which is then refused, saying why",
            () => `${staging}  ${ns("dbEngineVersion")}: 8.0\n`,
            [
                `${ns("dbEngineVersion")}: "8" is not valid (the stack file's unquoted 8.0 is a number to YAML and reaches the program as "8"; quote it to keep it as written); valid: ${spec("dbEngineVersion").valid}`,
            ],
        ],
        [
            "a string where a list belongs is refused as the CLI refuses it",
            () => replace("allowedCidrs:\n    - 203.0.113.0/24\n    - 198.51.100.16/28", "allowedCidrs: 203.0.113.0/24"),
            [
                `${ns("allowedCidrs")}: "203.0.113.0/24" is not a list of strings, which the Pulumi CLI refuses before the program runs (Pulumi.yaml declares it array); valid: ${spec("allowedCidrs").valid}`,
            ],
        ],
        [
            'a null for a boolean key: the CLI passes "" and refuses it as no boolean',
            () => `${staging}  ${ns("dbMultiAz")}:\n`,
            [
                `${ns("dbMultiAz")}: empty (a YAML null, which the CLI passes as "") is not a boolean, which the Pulumi CLI refuses before the program runs (Pulumi.yaml declares it boolean); valid: true, false`,
            ],
        ],
        [
            "secure: on a plain key",
            () => replace("organisationName: Example University Archives", "organisationName:\n    secure: v1:AAAA:BBBB"),
            [
                `${ns("organisationName")}: is encrypted (secure:) but is not a secret; valid: a plain value, set with: pulumi config set organisationName <value>`,
            ],
        ],
        [
            "a duplicate key is named with its lines",
            () => `${staging}  ${ns("owner")}: someone-else\n`,
            [`${ns("owner")}: is set 2 times in Pulumi.t.yaml (lines 6, ${staging.split("\n").length}); valid: one value per key`],
        ],
        [
            "configg: the top-level typo is named, not every key reported unset",
            () => replace("config:", "configg:"),
            [
                "configg: unknown top-level key in Pulumi.t.yaml (did you mean config?); valid: config, environment, secretsprovider, encryptedkey, encryptionsalt",
            ],
        ],
        [
            "log retention below the stack's policy minimum (30 days in its policy config)",
            () => replace("logRetentionDays: 30", "logRetentionDays: 7"),
            [
                `${ns("logRetentionDays")}: 7 is below the 30 days this stack's policy config requires (policy/config/t.json: aws-cloudwatch-loggroup-require-retention minimumRetentionDays); valid: 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653`,
            ],
        ],
    ];
    for (const [what, text, lines] of cases) {
        it(what, () => {
            fs.writeFileSync(path.join(dir, "Pulumi.t.yaml"), text());
            assert.deepStrictEqual(
                linesOf(() => checkInput("t", dir)),
                lines,
            );
        });
    }

    it("a value YAML reads as a number reaches the program as the CLI passes it, with a warning", () => {
        fs.writeFileSync(path.join(dir, "Pulumi.t.yaml"), replace("organisationId: example-archives", "organisationId: 0x3"));
        const stack = checkInput("t", dir);
        assert.strictEqual(stack.values[ns("organisationId")], "3");
        assert.deepStrictEqual(stack.warnings, [
            `${ns("organisationId")}: the stack file's unquoted 0x3 is a number to YAML and reaches the program as "3"; quote it to keep it as written`,
        ]);
    });

    it("a new stack without its policy config is refused with the remedy", () => {
        fs.writeFileSync(path.join(dir, "Pulumi.new.yaml"), staging);
        try {
            assert.throws(
                () => checkInput("new", dir),
                (e: Error) =>
                    e.message ===
                    'policy/config/new.json: stack "new" has no policy config; valid: a reviewed copy of another stack\'s, e.g. cp policy/config/staging.json policy/config/new.json',
            );
        } finally {
            fs.rmSync(path.join(dir, "Pulumi.new.yaml"));
        }
    });
});

// ------------------------------------------------------------------------------------------------
// Property: wrong values for every declared key
// ------------------------------------------------------------------------------------------------

/** A wrong value for a key: its Pulumi string, and the YAML type it had in the stack file. */
interface Wrong {
    raw: string;
    kind: "string" | "number" | "boolean" | "list" | "map";
}

const CONTROL_CHARS = ["\u0000", "\u0007", "\u001b", "\u007f", "\u0085", "\u2028", "\u2029", "\ud800", "\udfff", "\u202e"];

function withControl(): fc.Arbitrary<string> {
    return fc
        .tuple(fc.string({ maxLength: 8 }), fc.constantFrom(...CONTROL_CHARS), fc.string({ maxLength: 8 }))
        .map(([a, c, b]) => `${a}${c}${b}`);
}

/** Allowed integers of a key, from its declared valid values ("2 to 3", or a list). */
function allowedIntegers(s: KeySpec): (n: number) => boolean {
    const range = /^(-?\d+) to (\d+)$/.exec(s.valid);
    if (range) return (n) => n >= Number(range[1]) && n <= Number(range[2]);
    const list = s.valid.split(", ").map(Number);
    return (n) => list.includes(n);
}

/** Values that can never be right for a key of this declaration. */
function wrongValue(s: KeySpec): fc.Arbitrary<Wrong> {
    const map = fc.constant<Wrong>({ raw: '{"a":"b"}', kind: "map" });
    if (s.secret)
        return fc.oneof(
            fc.string({ minLength: 1, maxLength: 20 }).map((raw): Wrong => ({ raw, kind: "string" })),
            map,
        );
    switch (s.type) {
        case "integer": {
            const ok = allowedIntegers(s);
            return fc.oneof(
                fc
                    .integer({ min: -1_000_000, max: 1_000_000 })
                    .filter((n) => !ok(n))
                    .map((n): Wrong => ({ raw: String(n), kind: "number" })),
                fc.constantFrom("two", "1.5", "", " 3", "0x10").map((raw): Wrong => ({ raw, kind: "string" })),
                fc.constant<Wrong>({ raw: "true", kind: "boolean" }),
                map,
            );
        }
        case "boolean":
            return fc.oneof(
                fc
                    .string({ maxLength: 10 })
                    .filter((v) => v !== "true" && v !== "false")
                    .map((raw): Wrong => ({ raw, kind: "string" })),
                fc.constant<Wrong>({ raw: '["true"]', kind: "list" }),
                map,
            );
        case "array":
            return fc.oneof(
                withControl().map((item): Wrong => ({ raw: JSON.stringify([item]), kind: "list" })),
                fc.constant<Wrong>({ raw: "subnet-0a1b2c3d4e5f60001", kind: "string" }),
                map,
            );
        case "string":
            // A list or map in the stack file is refused by the reader, as the CLI refuses it (test/cli-config.test.ts);
            // the program sees only strings.
            return withControl().map((raw): Wrong => ({ raw, kind: "string" }));
    }
}

/** One to four distinct keys, each with a wrong value. */
const badKeys = fc
    .uniqueArray(fc.constantFrom(...CONFIG_KEYS), { minLength: 1, maxLength: 4, selector: (s) => s.key })
    .chain((specs) => fc.tuple(...specs.map((s) => wrongValue(s).map((w) => [s, w] as const))));

/** Lines must follow the declaration order of the keys. */
const byDeclaration = (a: KeySpec, b: KeySpec) => CONFIG_KEYS.indexOf(a) - CONFIG_KEYS.indexOf(b);

describe("property: wrong values for every declared key", () => {
    it("every declared key has a generator (the property covers the whole schema)", () => {
        for (const s of CONFIG_KEYS)
            fc.assert(
                fc.property(wrongValue(s), () => true),
                { numRuns: 1 },
            );
    });

    it("parseConfig: one line per wrong key, naming it, in declaration order; nothing built", () => {
        fc.assert(
            fc.property(badKeys, (bad) => {
                const overrides: Record<string, string> = {};
                for (const [s, w] of bad) overrides[s.key] = w.raw;
                let built: unknown;
                const lines = linesOf(() => {
                    built = parseConfig({ project: PROJECT, stack: "test", values: rawValues(overrides), secretKeys: [] });
                });
                assert.strictEqual(built, undefined);
                const expected = bad.map(([s]) => s).sort(byDeclaration);
                assert.strictEqual(lines.length, expected.length, lines.join("\n"));
                lines.forEach((line, i) => {
                    assert.ok(line.startsWith(`${ns(expected[i].key)}: `), line);
                    assert.ok(line.includes("; valid: "), line);
                    assert.ok(
                        ![...line].some((c) => c.charCodeAt(0) < 0x20 || c === "\u2028" || c === "\u2029"),
                        `raw control character in ${JSON.stringify(line)}`,
                    );
                });
            }),
            { numRuns: 50 },
        );
    });
});

// ------------------------------------------------------------------------------------------------
// The plan command: exit codes (its main() in process on a project directory with its own stack
// files; --help through the real process)
// ------------------------------------------------------------------------------------------------

describe("plan command: exit codes", function () {
    this.timeout(120000);
    let dir: string;
    let stagingConfig: Record<string, unknown>;

    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "am-cli-"));
        fs.mkdirSync(path.join(dir, "policy", "config"), { recursive: true });
        for (const f of ["Pulumi.yaml", "policy/config/staging.json"]) fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
        fs.copyFileSync(path.join(ROOT, "policy/config/staging.json"), path.join(dir, "policy/config/bad.json"));
        stagingConfig = parse(fs.readFileSync(path.join(ROOT, "Pulumi.staging.yaml"), "utf8")).config;
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const plan = (args: string[]) => runPlan(args, dir);
    /** Writes a stack file; a copy of staging's config gets an environment of its own (one environment per stack). */
    function writeStack(stack: string, config: Record<string, unknown>) {
        const own = config[ns("environment")] === "staging" ? { ...config, [ns("environment")]: stack } : config;
        fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), stringify({ config: own }));
    }

    it("--help prints the usage and exits 0", async () => {
        const r = await plan(["--help"]);
        assert.strictEqual(r.status, 0, r.stderr);
        assert.strictEqual(r.stdout, `${HELP}\n`);
        assert.strictEqual(r.stderr, "");
    });

    it("a bad flag exits 2 with one line", async () => {
        const r = await plan(["staging", "--jsn", "x"]);
        assert.strictEqual(r.status, 2);
        assert.strictEqual(
            r.stderr,
            "error: unknown option --jsn; valid: --json <file>, --skip-policy; usage: npm run plan -- <stack> [--json <file>] [--skip-policy]\n",
        );
    });

    it("a new stack without policy config exits 2 before anything is planned", async () => {
        writeStack("fresh", stagingConfig);
        const r = await plan(["fresh"]);
        assert.strictEqual(r.status, 2);
        assert.strictEqual(r.stdout, "");
        assert.strictEqual(
            r.stderr,
            'error: policy/config/fresh.json: stack "fresh" has no policy config; valid: a reviewed copy of another stack\'s, e.g. cp policy/config/staging.json policy/config/fresh.json\n',
        );
    });

    it("a stack file with three errors exits 2 with three lines and plans nothing", async () => {
        writeStack("bad", {
            ...stagingConfig,
            [ns("logRetentionDays")]: 7,
            [ns("timeZone")]: "Mars/Olympus",
            "archivematica:dbMultiAz": true,
        });
        const r = await plan(["bad"]);
        assert.strictEqual(r.status, 2);
        assert.strictEqual(r.stdout, "");
        assert.deepStrictEqual(r.stderr.trimEnd().split("\n"), [
            `error: archivematica:dbMultiAz: unknown namespace "archivematica" (did you mean ${ns("dbMultiAz")}?); ${UNKNOWN_NAMESPACE_VALID}`,
            `error: ${ns("timeZone")}: "Mars/Olympus" is not a time zone this runtime knows; valid: ${spec("timeZone").valid}`,
            `error: ${ns("logRetentionDays")}: 7 is below the 30 days this stack's policy config requires (policy/config/bad.json: aws-cloudwatch-loggroup-require-retention minimumRetentionDays); valid: 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653`,
        ]);
    });

    it("property: wrong YAML values for any keys → exit 2, one line per key naming it, nothing planned", async () => {
        const yamlWrong: Record<KeySpec["type"], unknown> = {
            string: "bad\u0000value",
            integer: 123456789,
            boolean: "maybe",
            array: "not-a-list",
        };
        await fc.assert(
            fc.asyncProperty(
                fc.uniqueArray(fc.constantFrom(...CONFIG_KEYS.filter((s) => !s.secret)), { minLength: 1, maxLength: 3 }),
                async (specs) => {
                    const config = { ...stagingConfig };
                    for (const s of specs) config[ns(s.key)] = yamlWrong[s.type];
                    writeStack("bad", config);
                    const r = await plan(["bad"]);
                    assert.strictEqual(r.status, 2, r.stderr);
                    assert.strictEqual(r.stdout, "");
                    const lines = r.stderr.trimEnd().split("\n");
                    const expected = [...specs].sort(byDeclaration);
                    assert.strictEqual(lines.length, expected.length, r.stderr);
                    lines.forEach((line, i) => assert.ok(line.startsWith(`error: ${ns(expected[i].key)}: `), line));
                },
            ),
            { numRuns: 2 },
        );
    });
});
