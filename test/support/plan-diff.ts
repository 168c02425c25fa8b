/**
 * What a second `pulumi up` would do, from two offline plans of the same program: the resources it
 * would create, delete, update in place or replace, and the input properties behind each step.
 *
 * A mock plan has no provider schema, so the properties the AWS provider replaces a resource for
 * (ForceNew) are listed here for the types the tests diff, each from the provider's source. A
 * property whose value is the name, ID or ARN of a replaced resource changes with it (the replacement
 * gets a new auto-name), which the mock runtime cannot show by value: the recorded property
 * dependencies say which properties those are.
 */
import * as path from "path";
import { ProgramRun, RecordedResource, runProgram, unwrapSecrets } from "../../tools/mock-runtime";
import { loadStackConfig, ROOT } from "../../tools/stack-files";
import { withPlainStackTraces } from "../harness";

/** ForceNew properties by type ("*": every argument but tags). */
export const FORCE_NEW: Record<string, readonly string[] | "*"> = {
    // terraform-provider-aws internal/service/rds/parameter_group.go: description, family, name, name_prefix.
    "aws:rds/parameterGroup:ParameterGroup": ["description", "family", "name", "namePrefix"],
    // internal/service/ecs/task_definition.go: every argument is ForceNew (a new revision), tags aside.
    "aws:ecs/taskDefinition:TaskDefinition": "*",
};

export type Op = "create" | "delete" | "update" | "replace";

export interface Step {
    op: Op;
    type: string;
    name: string;
    /** Changed properties; `x (new <name>)` when x follows a replaced resource. */
    properties: string[];
}

const UNTRACKED = new Set(["tags", "tagsAll"]);

function changedProperties(before: RecordedResource, after: RecordedResource): string[] {
    const a = unwrapSecrets(before.inputs) as Record<string, unknown>;
    const b = unwrapSecrets(after.inputs) as Record<string, unknown>;
    return [...new Set([...Object.keys(a), ...Object.keys(b)])]
        .filter((k) => !UNTRACKED.has(k) && JSON.stringify(a[k]) !== JSON.stringify(b[k]))
        .sort();
}

function forcesReplacement(type: string, properties: string[]): boolean {
    const forceNew = FORCE_NEW[type];
    if (forceNew === undefined) return false;
    return properties.some((p) => forceNew === "*" || forceNew.includes(p.split(" ")[0]));
}

/** The steps from `before` to `after`, ordered by operation then name; unchanged resources left out. */
export function diffPlans(before: RecordedResource[], after: RecordedResource[]): Step[] {
    const custom = (rs: RecordedResource[]) =>
        new Map(rs.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:")).map((r) => [r.urn, r]));
    const was = custom(before);
    const now = custom(after);
    const steps = new Map<string, Step>();
    for (const [urn, r] of now) {
        const old = was.get(urn);
        if (!old) steps.set(urn, { op: "create", type: r.type, name: r.name, properties: [] });
        else {
            const properties = changedProperties(old, r);
            if (properties.length)
                steps.set(urn, {
                    op: forcesReplacement(r.type, properties) ? "replace" : "update",
                    type: r.type,
                    name: r.name,
                    properties,
                });
        }
    }
    for (const [urn, r] of was) if (!now.has(urn)) steps.set(urn, { op: "delete", type: r.type, name: r.name, properties: [] });
    // Properties that follow a replaced resource, until nothing more changes.
    for (let grew = true; grew;) {
        grew = false;
        for (const [urn, r] of now) {
            for (const [prop, deps] of Object.entries(r.propertyDependencies)) {
                for (const dep of deps) {
                    const replaced = steps.get(dep);
                    if (replaced?.op !== "replace") continue;
                    const label = `${prop} (new ${replaced.name})`;
                    const step = steps.get(urn) ?? { op: "update" as Op, type: r.type, name: r.name, properties: [] };
                    if (step.properties.includes(label) || step.properties.includes(prop)) continue;
                    step.properties = [...step.properties, label].sort();
                    if (step.op === "update" && forcesReplacement(r.type, step.properties)) step.op = "replace";
                    steps.set(urn, step);
                    grew = true;
                }
            }
        }
    }
    const order: Op[] = ["create", "replace", "update", "delete"];
    return [...steps.values()].sort((x, y) => order.indexOf(x.op) - order.indexOf(y.op) || x.name.localeCompare(y.name));
}

/** One line per step: `replace aws:rds/parameterGroup:ParameterGroup archivematica-db-params: description, family`. */
export function formatSteps(steps: Step[]): string[] {
    return steps.map((s) => `${s.op} ${s.type} ${s.name}${s.properties.length ? `: ${s.properties.join(", ")}` : ""}`);
}

/** A real stack file's plan with some of its values changed: the run, and the config values it was given. */
export interface StackRunWith {
    run: ProgramRun;
    values: Record<string, string>;
    secretKeys: string[];
}

/**
 * The offline plan of a real stack file with some of its values changed (keys without the project
 * prefix), with cheap stack traces as every plan of the tests (test/harness.ts withPlainStackTraces).
 */
export async function planStackRunWith(
    stack: string,
    overrides: Record<string, string>,
    previousInputs?: Record<string, Record<string, unknown>>,
): Promise<StackRunWith> {
    const config = loadStackConfig(stack);
    const values = { ...config.values };
    for (const [k, v] of Object.entries(overrides)) values[`${config.project}:${k}`] = v;
    const program = path.join(ROOT, "index.ts");
    const run = await withPlainStackTraces(() =>
        runProgram({
            project: config.project,
            stack,
            config: values,
            secretKeys: config.secretKeys,
            previousInputs,
            program: () => {
                delete require.cache[require.resolve(program)];
                // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded the way the Pulumi language host loads it
                return require(program);
            },
        }),
    );
    return { run, values, secretKeys: config.secretKeys };
}

/** The resources of {@link planStackRunWith}'s plan. */
export async function planStackWith(
    stack: string,
    overrides: Record<string, string>,
    previousInputs?: Record<string, Record<string, unknown>>,
): Promise<RecordedResource[]> {
    return (await planStackRunWith(stack, overrides, previousInputs)).run.resources;
}
