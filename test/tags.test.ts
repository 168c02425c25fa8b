import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { listStacks } from "../tools/stack-files";
import { unwrapSecrets } from "../tools/mock-runtime";
import { stackPlan } from "./harness";

/** Taggable types, derived by the policy pack from the @pulumi/aws type declarations. */
const TAGGABLE = new Set<string>(JSON.parse(fs.readFileSync(path.join(__dirname, "../policy/data/taggable-types.json"), "utf8")).types);
const REQUIRED = ["Project", "Environment", "Owner", "CostCentre", "ManagedBy", "Name"];

describe("tags on every taggable resource of every stack", () => {
    for (const stack of listStacks()) {
        it(stack, async () => {
            const { run, stackConfig } = await stackPlan(stack);
            const environment = stackConfig.values["archivematica-infra:environment"];
            const taggable = run.resources.filter((r) => TAGGABLE.has(r.type));
            assert.ok(taggable.length > 20, `${taggable.length} taggable resources`);
            for (const r of taggable) {
                const tags = (unwrapSecrets(r.inputs) as { tags?: Record<string, string> }).tags ?? {};
                for (const key of REQUIRED) assert.ok(tags[key], `${r.type} ${r.name} lacks ${key}`);
                assert.strictEqual(tags.Environment, environment, r.name);
                assert.strictEqual(tags.Name, r.name, `${r.name}: Name tag is the logical name`);
            }
        });
    }
});
