/**
 * We cannot run GitHub here; this keeps the workflow honest against the repository: every npm
 * script it calls exists, every stack it names has a stack file and a policy config, and the
 * policy-pack flags point at the pack and at the config of the same stack.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { listStacks } from "../tools/stack-files";

const ROOT = path.join(__dirname, "..");
const WORKFLOW = path.join(ROOT, ".github/workflows/pulumi.yml");

interface Step {
    run?: string;
    uses?: string;
    with?: Record<string, string | boolean>;
}
interface Job {
    steps: Step[];
    strategy?: { matrix?: { stack?: string[] } };
    environment?: string;
    concurrency?: { group: string; "cancel-in-progress": boolean };
    needs?: string | string[];
}

const workflow = parse(fs.readFileSync(WORKFLOW, "utf8")) as { jobs: Record<string, Job> };
const scripts = Object.keys(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts);

/** A job's steps once per matrix stack, with `${{ matrix.stack }}` filled in. */
function expanded(job: Job): { stack?: string; step: Step }[] {
    const stacks = job.strategy?.matrix?.stack ?? [undefined];
    return stacks.flatMap((stack) =>
        job.steps.map((step) => ({
            stack,
            step: stack ? (JSON.parse(JSON.stringify(step).replace(/\$\{\{ matrix\.stack \}\}/g, stack)) as Step) : step,
        })),
    );
}

describe("GitHub workflow", () => {
    const all = Object.values(workflow.jobs).flatMap(expanded);

    it("every npm script it runs exists in package.json", () => {
        const called = all.flatMap(({ step }) => [...(step.run ?? "").matchAll(/npm run (\S+)/g)].map((m) => m[1]));
        assert.ok(called.length > 0);
        for (const name of called) assert.ok(scripts.includes(name), `npm run ${name}`);
        assert.ok(
            all.some(({ step }) => step.run === "npm test"),
            "runs npm test",
        );
    });

    it("the offline gate runs for every stack", () => {
        const planned = all.flatMap(({ step }) => [...(step.run ?? "").matchAll(/npm run plan -- (\S+)/g)].map((m) => m[1]));
        assert.deepStrictEqual([...planned].sort(), listStacks());
    });

    it("every stack it names has a stack file and a policy config, and the flags match the stack", () => {
        const pulumiSteps = all.filter(({ step }) => step.uses?.startsWith("pulumi/actions@"));
        assert.ok(pulumiSteps.length >= 4);
        for (const { step } of pulumiSteps) {
            const stack = String(step.with!["stack-name"]).split("/").pop()!;
            assert.ok(listStacks().includes(stack), `stack ${stack}`);
            assert.strictEqual(step.with!.policyPacks, "policy");
            assert.ok(fs.existsSync(path.join(ROOT, "policy/PulumiPolicy.yaml")));
            assert.strictEqual(step.with!.policyPackConfigs, `policy/config/${stack}.json`);
            assert.ok(fs.existsSync(path.join(ROOT, `policy/config/${stack}.json`)), `policy/config/${stack}.json`);
        }
    });

    it("previews both stacks on pull requests and comments on the PR", () => {
        const preview = workflow.jobs.preview;
        assert.deepStrictEqual(preview.strategy!.matrix!.stack, listStacks().sort().reverse());
        assert.strictEqual(preview.steps.find((s) => s.uses?.startsWith("pulumi/actions@"))!.with!["comment-on-pr"], true);
    });

    it("deploys never overlap, and prod waits for staging and a manual approval", () => {
        for (const name of ["deploy-staging", "deploy-prod"]) {
            assert.strictEqual(workflow.jobs[name].concurrency!["cancel-in-progress"], false);
        }
        assert.notStrictEqual(workflow.jobs["deploy-staging"].concurrency!.group, workflow.jobs["deploy-prod"].concurrency!.group);
        assert.strictEqual(workflow.jobs["deploy-prod"].environment, "production");
        assert.strictEqual(workflow.jobs["deploy-prod"].needs, "deploy-staging");
    });
});
