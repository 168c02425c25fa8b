/**
 * We cannot run GitHub here; this keeps the workflow honest against the repository: every npm
 * script it calls exists, every stack it names has a stack file and a policy config, the
 * policy-pack flags point at the pack and at the config of the same stack, and the cost comment
 * runs the estimate on the PR and on its base and posts the difference.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { commentMarker } from "../tools/cost/comment";
import { listStacks } from "../tools/stack-files";

const ROOT = path.join(__dirname, "..");
const WORKFLOW = path.join(ROOT, ".github/workflows/pulumi.yml");

interface Step {
    name?: string;
    run?: string;
    uses?: string;
    with?: Record<string, string | boolean>;
    env?: Record<string, string>;
    "timeout-minutes"?: number;
}
interface Job {
    steps: Step[];
    permissions?: Record<string, string>;
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
        const called = all.flatMap(({ step }) => [...(step.run ?? "").matchAll(/npm run (?:--silent )?(\S+)/g)].map((m) => m[1]));
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

    it("posts each stack's cost estimate and its change against the base branch on pull requests", () => {
        const preview = workflow.jobs.preview;
        const steps = preview.steps;
        const index = (pred: (s: Step) => boolean, what: string) => {
            const i = steps.findIndex(pred);
            assert.ok(i >= 0, what);
            return i;
        };
        const head = index(
            (s) => /^npm run --silent cost -- \$\{\{ matrix\.stack \}\} --json > "\$RUNNER_TEMP\/cost-head\.json"$/.test(s.run ?? ""),
            "cost of the PR",
        );
        const baseCheckout = index(
            (s) =>
                !!s.uses?.startsWith("actions/checkout@") &&
                s.with?.ref === "${{ github.event.pull_request.base.sha }}" &&
                s.with?.path === "base",
            "base checkout",
        );
        const base = index(
            (s) =>
                /^cd base\n/.test(s.run ?? "") &&
                (s.run ?? "").includes('npm run --silent cost -- ${{ matrix.stack }} --json > "$RUNNER_TEMP/cost-base.json"'),
            "cost of the base",
        );
        const comment = index(
            (s) =>
                (s.run ?? "").startsWith(
                    'npx ts-node --transpile-only tools/cost/comment.ts ${{ matrix.stack }} "$RUNNER_TEMP/cost-base.json" "$RUNNER_TEMP/cost-head.json" > "$RUNNER_TEMP/cost-comment.md"',
                ),
            "comment text",
        );
        const post = index((s) => !!s.uses?.startsWith("actions/github-script@"), "comment posted");
        const aws = index((s) => !!s.uses?.startsWith("aws-actions/configure-aws-credentials@"), "AWS credentials");
        // In that order, and all before AWS credentials: the estimate is offline.
        assert.deepStrictEqual(
            [head, baseCheckout, base, comment, post, aws],
            [...[head, baseCheckout, base, comment, post, aws]].sort((a, b) => a - b),
        );
        assert.ok(fs.existsSync(path.join(ROOT, "tools/cost/comment.ts")));
        // The comment is found again by the marker the comment script writes, so pushes update it.
        assert.strictEqual(steps[post].env!.MARKER, commentMarker("${{ matrix.stack }}"));
        assert.match(String(steps[post].with!.script), /startsWith\(process\.env\.MARKER\)/);
        assert.match(String(steps[post].with!.script), /updateComment/);
        assert.strictEqual(preview.permissions!["pull-requests"], "write");
    });

    describe("each deploy runs the stack's smoke test right after `pulumi up` and fails when it fails", () => {
        /** Runs a step's script as GitHub runs `run:` (bash -eo pipefail) with a fake `pulumi` that prints `command`. */
        function runStep(step: Step, command: string): { status: number | null; stdout: string; pulumiArgs: string } {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "workflow-smoke-"));
            try {
                const log = path.join(dir, "pulumi.log");
                fs.writeFileSync(path.join(dir, "pulumi"), '#!/bin/sh\necho "$*" > "$PULUMI_LOG"\nprintf "%s\\n" "$FAKE_COMMAND"\n', {
                    mode: 0o755,
                });
                const run = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", step.run!], {
                    encoding: "utf8",
                    timeout: 30_000,
                    env: { PATH: `${dir}:${process.env.PATH}`, PULUMI_LOG: log, FAKE_COMMAND: command, STACK: "example-org/staging" },
                });
                return { status: run.status, stdout: run.stdout, pulumiArgs: fs.readFileSync(log, "utf8").trim() };
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        }

        for (const [job, stack] of [
            ["deploy-staging", "staging"],
            ["deploy-prod", "prod"],
        ]) {
            it(`${job}: the smoke step follows the up step, for the same stack, bounded in time`, () => {
                const steps = workflow.jobs[job].steps;
                const up = steps.findIndex((s) => s.uses?.startsWith("pulumi/actions@") && s.with?.command === "up");
                assert.ok(up >= 0, "an up step");
                const smoke = steps[up + 1];
                assert.strictEqual(smoke.name, `Smoke test (${stack})`);
                assert.strictEqual(smoke.run, 'command="$(pulumi stack output smokeTestCommand --stack "$STACK")"\nbash -c "$command"\n');
                assert.deepStrictEqual(smoke.env, {
                    STACK: steps[up].with!["stack-name"],
                    PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}",
                });
                assert.strictEqual(String(steps[up].with!["stack-name"]).split("/").pop(), stack);
                assert.strictEqual(smoke["timeout-minutes"], 60);
                assert.strictEqual(up + 1, steps.length - 1, "the smoke test is the job's last step");
            });
        }

        it("the step asks pulumi for the stack's smokeTestCommand and runs it", () => {
            const run = runStep(
                workflow.jobs["deploy-staging"].steps.find((s) => s.name === "Smoke test (staging)")!,
                "echo 'smoke test: exit code 0, passed'",
            );
            assert.strictEqual(run.status, 0);
            assert.strictEqual(run.stdout, "smoke test: exit code 0, passed\n");
            assert.strictEqual(run.pulumiArgs, "stack output smokeTestCommand --stack example-org/staging");
        });

        it("a failing smoke command fails the step (and so the job)", () => {
            const step = workflow.jobs["deploy-prod"].steps.find((s) => s.name === "Smoke test (prod)")!;
            assert.strictEqual(runStep(step, "(echo 'smoke test: exit code 3, FAILED: timed out'; [ 3 = 0 ])").status, 1);
            assert.notStrictEqual(runStep(step, "exit 4").status, 0);
        });
    });
});
