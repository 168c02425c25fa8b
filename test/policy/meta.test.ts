import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { controlTitle, isSecurityHubControl, PROJECT_CONTROLS, SECURITY_HUB_CONTROLS } from "../../policy/lib/controls";
import { RuleModule } from "../../policy/lib/types";
import { POLICIES, RULES } from "../../policy/registry";
import { readmeWithTable } from "../../policy/tools/rules-table";
import { schemaDefaults } from "./harness";

const RULES_DIR = path.join(__dirname, "..", "..", "policy", "rules");
const CONFIG_DIR = path.join(__dirname, "..", "..", "policy", "config");
const ruleFiles = fs
    .readdirSync(RULES_DIR)
    .filter((f) => f.endsWith(".ts"))
    .sort();
const LEVELS = ["advisory", "mandatory", "disabled"];

/** DESIGN.md §5: the FSBP controls that apply to this design. */
const DESIGN_CONTROLS = [
    "ECS.2",
    "ECS.3",
    "ECS.4",
    "ECS.5",
    "ECS.8",
    "ECS.9",
    "ECS.12",
    "EFS.1",
    "EFS.2",
    "EFS.3",
    "EFS.4",
    "EFS.5",
    "EFS.6",
    "RDS.2",
    "RDS.3",
    "RDS.5",
    "RDS.8",
    "RDS.11",
    "RDS.13",
    "ElastiCache.1",
    "ElastiCache.2",
    "ElastiCache.3",
    "ElastiCache.4",
    "ElastiCache.5",
    "Opensearch.1",
    "Opensearch.2",
    "Opensearch.3",
    "Opensearch.7",
    "Opensearch.8",
    "ELB.1",
    "ELB.4",
    "ELB.5",
    "ELB.6",
    "ELB.17",
    "EC2.2",
    "EC2.6",
    "CloudWatch.16",
];

describe("policy pack registry (meta)", () => {
    it("registers every file under policy/rules exactly once, and nothing else", () => {
        assert.strictEqual(RULES.length, ruleFiles.length);
        for (const file of ruleFiles) {
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads each rule file by path
            const mod = require(path.join(RULES_DIR, file)) as RuleModule;
            assert.ok(mod.policy, `${file} exports no policy`);
            assert.strictEqual(RULES.filter((r) => r.policy === mod.policy).length, 1, `${file} registered once`);
            assert.strictEqual(`${mod.policy.name}.ts`, file, "file is named after its rule");
        }
        assert.deepStrictEqual(
            POLICIES,
            RULES.map((r) => r.policy),
        );
    });

    it("reads boolean and number properties through bool()/num(), so a value in the wrong JSON type is not evaluated rather than passed", () => {
        // A property read compared straight to a boolean literal lets "true" (a string) through a === true check.
        const direct = /(\bprops(\.\w+|\[\w+\])+|asRecord\([^)]*\)\.\w+)\s*[!=]==\s*(true|false)\b/;
        for (const file of fs.readdirSync(RULES_DIR)) {
            const text = fs.readFileSync(path.join(RULES_DIR, file), "utf8");
            text.split("\n").forEach((line, i) => assert.ok(!direct.test(line), `${file}:${i + 1}: ${line.trim()}`));
            assert.ok(!/\basNumber\(/.test(text), `${file}: use num() (asNumber hides a value of the wrong type)`);
        }
    });

    it("has unique names following aws-<service>-<resource>-<verb>-<noun> (aws-resource-<verb>-<noun> across services)", () => {
        const names = POLICIES.map((p) => p.name);
        assert.strictEqual(new Set(names).size, names.length);
        for (const name of names) {
            assert.match(name, /^aws-(resource|[a-z0-9]+-[a-z0-9]+)-(require|prohibit|restrict)-[a-z0-9]+(-[a-z0-9]+)*$/, name);
            assert.notStrictEqual(name, "all", "reserved by the policy server");
        }
    });

    it("describes every rule and sets a valid default level", () => {
        for (const p of POLICIES) {
            assert.ok(p.description.length >= 30, `${p.name}: description too short`);
            assert.ok(p.description.endsWith("."), `${p.name}: description is a sentence`);
            assert.ok(["advisory", "mandatory"].includes(p.enforcementLevel ?? ""), `${p.name}: level`);
        }
    });

    it("maps every rule to at least one known control, without duplicates", () => {
        for (const r of RULES) {
            assert.ok(r.controls.length > 0, `${r.policy.name}: no control`);
            assert.strictEqual(new Set(r.controls).size, r.controls.length, `${r.policy.name}: duplicate control`);
            for (const c of r.controls) assert.ok(controlTitle(c), `${r.policy.name}: unknown control ${c}`);
        }
    });

    it("covers every Security Hub control DESIGN.md §5 lists, and every catalogued control is used", () => {
        const claimed = new Set(RULES.flatMap((r) => r.controls));
        for (const c of DESIGN_CONTROLS) assert.ok(claimed.has(c as never), `no rule covers ${c}`);
        for (const c of [...Object.keys(SECURITY_HUB_CONTROLS), ...Object.keys(PROJECT_CONTROLS)]) {
            assert.ok(claimed.has(c as never), `catalogue entry ${c} is claimed by no rule`);
        }
        assert.ok(DESIGN_CONTROLS.every(isSecurityHubControl));
    });

    it("is a resource or a stack policy, never both; config schemas follow the server's rules", () => {
        for (const p of POLICIES) {
            const kinds = ["validateResource", "validateStack"].filter((k) => k in p);
            assert.strictEqual(kinds.length, 1, p.name);
            const props = p.configSchema?.properties ?? {};
            assert.ok(!("enforcementLevel" in props), `${p.name}: enforcementLevel is not a config property`);
            for (const [key, prop] of Object.entries(props)) {
                assert.notStrictEqual(prop.default, undefined, `${p.name}.${key}: schema declares no default`);
                assert.ok(prop.description, `${p.name}.${key}: undocumented`);
            }
        }
    });

    it("index.ts only constructs the PolicyPack from the registry", () => {
        const index = fs.readFileSync(path.join(__dirname, "..", "..", "policy", "index.ts"), "utf8");
        assert.match(index, /new PolicyPack\("archivematica", \{[\s\S]*policies: POLICIES,[\s\S]*\}\);/);
        assert.deepStrictEqual(index.match(/^import .*$/gm), [
            'import { PolicyPack } from "@pulumi/policy";',
            'import { POLICIES } from "./registry";',
        ]);
    });

    it("package.json has a version and the exact-pinned SDKs", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "policy", "package.json"), "utf8")) as Record<
            string,
            unknown
        >;
        assert.strictEqual(pkg.name, "archivematica-policy");
        assert.match(String(pkg.version), /^\d+\.\d+\.\d+$/);
        assert.deepStrictEqual(pkg.dependencies, { "@pulumi/policy": "1.21.0", "@pulumi/pulumi": "3.270.0" });
    });
});

describe("policy/README.md", () => {
    it("carries the current rules table (regenerate: npx ts-node --transpile-only policy/tools/rules-table.ts --write)", () => {
        const readme = fs.readFileSync(path.join(__dirname, "..", "..", "policy", "README.md"), "utf8");
        assert.strictEqual(readme, readmeWithTable(readme));
    });
});

describe("policy/config/<stack>.json", () => {
    for (const stack of ["staging", "prod"]) {
        describe(stack, () => {
            const config = JSON.parse(fs.readFileSync(path.join(CONFIG_DIR, `${stack}.json`), "utf8")) as Record<
                string,
                Record<string, unknown>
            >;

            it("sets an explicit level for every registered rule and names no other", () => {
                assert.deepStrictEqual(Object.keys(config).sort(), POLICIES.map((p) => p.name).sort());
                for (const [name, entry] of Object.entries(config)) {
                    assert.ok(LEVELS.includes(String(entry.enforcementLevel)), `${name}: enforcementLevel`);
                }
            });

            it("sets only properties the rule's schema declares, with the schema's JSON types", () => {
                for (const p of POLICIES) {
                    const { enforcementLevel: _level, ...props } = config[p.name];
                    void _level;
                    const schema = p.configSchema?.properties ?? {};
                    for (const [key, value] of Object.entries(props)) {
                        assert.ok(key in schema, `${p.name}: unknown property ${key}`);
                        const type = schema[key].type;
                        const actual = Array.isArray(value)
                            ? "array"
                            : Number.isInteger(value) && type === "integer"
                              ? "integer"
                              : typeof value;
                        assert.strictEqual(actual, type, `${p.name}.${key}`);
                    }
                    // Every configurable setting is spelled out, so a stack's choices are visible in one file.
                    assert.deepStrictEqual(
                        Object.keys(props).sort(),
                        Object.keys(schemaDefaults(p.configSchema)).sort(),
                        `${p.name}: settings`,
                    );
                }
            });

            it("lists ElastiCache transit-encryption exceptions explicitly (none today)", () => {
                assert.deepStrictEqual(config["aws-elasticache-replicationgroup-require-encryption"].transitEncryptionExceptions, []);
            });
        });
    }

    it("staging relaxes production data protection visibly; prod enforces it", () => {
        const read = (s: string) =>
            JSON.parse(fs.readFileSync(path.join(CONFIG_DIR, `${s}.json`), "utf8")) as Record<string, Record<string, unknown>>;
        const staging = read("staging");
        const prod = read("prod");
        assert.deepStrictEqual(prod["aws-rds-instance-require-data-protection"], {
            enforcementLevel: "mandatory",
            requireDeletionProtection: true,
            minimumBackupRetentionDays: 7,
            requireMultiAz: true,
            requireFinalSnapshot: true,
        });
        assert.strictEqual(staging["aws-rds-instance-require-data-protection"].enforcementLevel, "advisory");
        assert.deepStrictEqual(prod["aws-lb-loadbalancer-require-secure-settings"], {
            enforcementLevel: "mandatory",
            requireAccessLogs: true,
            requireDeletionProtection: true,
        });
        // The mission rules are mandatory in both stacks.
        for (const name of [
            "aws-resource-require-tags",
            "aws-efs-filesystem-require-encryption",
            "aws-ecs-taskdefinition-require-efs-transit-encryption",
            "aws-rds-database-require-storage-encryption",
            "aws-elasticache-replicationgroup-require-encryption",
            "aws-opensearch-domain-require-encryption",
            "aws-lb-listener-require-https",
            "aws-s3-bucket-require-encryption",
            "aws-s3-bucket-require-public-access-block",
            "aws-cloudwatch-loggroup-require-retention",
            "aws-ecs-taskdefinition-require-single-essential-container",
            "aws-ecs-service-require-own-task-family",
            "aws-ecs-service-require-one-per-component",
        ]) {
            assert.strictEqual(staging[name].enforcementLevel, "mandatory", `staging ${name}`);
            assert.strictEqual(prod[name].enforcementLevel, "mandatory", `prod ${name}`);
        }
    });
});
