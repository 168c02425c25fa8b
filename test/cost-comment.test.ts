/**
 * The pull-request comment CI posts for each stack (tools/cost/comment.ts): totals, the change
 * against the base branch by type, what is not priced, and a base without an estimate.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { commentMarker, CostDocument, costComment, readCostDocument } from "../tools/cost/comment";

const doc = (lines: CostDocument["lines"]): CostDocument => ({
    currency: "USD",
    region: "eu-west-2",
    total: lines.reduce((s, l) => s + Math.round((l.monthly ?? 0) * 100), 0) / 100,
    lines,
});
const l = (type: string, name: string, monthly: number | null) => ({ urn: `urn:pulumi:s::p::${type}::${name}`, type, monthly, basis: "b" });

const base = doc([
    l("aws:ecs/service:Service", "a", 10.5),
    l("aws:ec2/natGateway:NatGateway", "nat", 41.5),
    l("aws:iam/role:Role", "r", 0),
]);
const head = doc([
    l("aws:ecs/service:Service", "a", 10.5),
    l("aws:ecs/service:Service", "b", 2.25),
    l("aws:ec2/natGateway:NatGateway", "nat", 41.5),
    l("aws:kms/key:Key", "k", 1),
    l("aws:backup/vault:Vault", "v", null),
]);

describe("cost comment on pull requests", () => {
    it("shows both totals, the change and the types that changed", () => {
        assert.equal(
            costComment("staging", base, head),
            [
                commentMarker("staging"),
                "### Monthly cost estimate: staging (eu-west-2), USD",
                "",
                "| | per month |",
                "|---|---:|",
                "| base branch | $52.00 |",
                "| this pull request | $55.25 |",
                "| change | +$3.25 (+6.3 %) |",
                "",
                "| type | base | this PR | change |",
                "|---|---:|---:|---:|",
                "| `aws:ecs/service:Service` | $10.50 | $12.75 | +$2.25 |",
                "| `aws:kms/key:Key` | $0.00 | $1.00 | +$1.00 |",
                "",
                "Not priced (not in the total): `aws:backup/vault:Vault` (1).",
                "",
                "<sub>Offline plan × the dated list prices in tools/cost/prices.ts; every assumption and each line's arithmetic: `npm run cost -- staging`.</sub>",
            ].join("\n"),
        );
    });

    it("a decrease is negative, and no change lists no type", () => {
        const text = costComment("prod", head, base);
        assert.ok(text.includes("| change | −$3.25 (−5.9 %) |"), text);
        assert.ok(text.includes("| `aws:kms/key:Key` | $1.00 | $0.00 | −$1.00 |"), text);
        assert.ok(
            text.endsWith(
                "Every resource is priced.\n\n<sub>Offline plan × the dated list prices in tools/cost/prices.ts; every assumption and each line's arithmetic: `npm run cost -- prod`.</sub>",
            ),
        );
        const same = costComment("prod", base, base);
        assert.ok(same.includes("| change | $0.00 (0.0 %) |"), same);
        assert.ok(!same.includes("| type |"), same);
    });

    it("says when the base branch has no estimate instead of showing $0", () => {
        const text = costComment("staging", undefined, head).split("\n");
        assert.deepEqual(text.slice(3, 7), [
            "| | per month |",
            "|---|---:|",
            "| base branch | no estimate (the base has no `npm run cost` for this stack) |",
            "| this pull request | $55.25 |",
        ]);
        assert.ok(!text.some((t) => t.startsWith("| change")));
    });

    it("reads a cost document, and nothing from a missing or foreign file", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cost-comment-"));
        try {
            const good = path.join(dir, "good.json");
            const foreign = path.join(dir, "foreign.json");
            fs.writeFileSync(good, JSON.stringify(head));
            fs.writeFileSync(foreign, JSON.stringify({ steps: [] }));
            assert.deepEqual(readCostDocument(good), head);
            assert.equal(readCostDocument(foreign), undefined);
            assert.equal(readCostDocument(path.join(dir, "missing.json")), undefined);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
