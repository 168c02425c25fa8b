/**
 * The pull-request comment CI posts for each stack (tools/cost/comment.ts): totals, the change
 * against the base branch by type, what is not priced, and a base without an estimate.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { commentMarker, costComment, ReadCostDocument, readCostDocument } from "../tools/cost/comment";

/** A document in the first format (`{ currency, region, total, lines }`), as an older base branch writes it. */
const doc = (lines: ReadCostDocument["lines"]): ReadCostDocument => ({
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

    it("shows the per-TB table of a document that has one: by kind and per TB preserved a year", () => {
        const withSizes: ReadCostDocument = {
            ...head,
            usageFile: "usage/prod.yaml",
            tbHeld: 40,
            ingestGbPerMonth: 500,
            atSizes: [
                {
                    tbHeld: 40,
                    stated: true,
                    monthly: 2840.61,
                    byKind: { fixed: 1290.47, "per-tb-held": 698.16, "per-tb-ingested": 851.98 },
                    perTbYear: 852.18,
                },
                {
                    tbHeld: 1,
                    stated: false,
                    monthly: 2196.85,
                    byKind: { fixed: 1290.47, "per-tb-held": 54.4, "per-tb-ingested": 851.98 },
                    perTbYear: 26362.2,
                },
            ],
        };
        const text = costComment("prod", base, withSizes).split("\n");
        const at = text.indexOf("Usage: `usage/prod.yaml`, 40 TB of AIPs held, 500 GB ingested a month.");
        assert.ok(at > 0, text.join("\n"));
        assert.deepEqual(text.slice(at + 2, at + 6), [
            "| AIPs held | a month | fixed | per TB held | per TB ingested | per TB preserved a year |",
            "|---|---:|---:|---:|---:|---:|",
            "| 40 TB (stated) | $2840.61 | $1290.47 | $698.16 | $851.98 | $852.18 |",
            "| 1 TB | $2196.85 | $1290.47 | $54.40 | $851.98 | $26362.20 |",
        ]);
        // An older document has no table.
        assert.ok(!costComment("prod", base, head).includes("per TB preserved a year"));
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
