/**
 * `npm run diagram -- <stack> [--out <file.svg>]`: the stack's architecture drawn from its offline
 * plan: its components grouped by layer, the key resources, and the flows between them (from the
 * security-group rules, task-role policies and AWS-managed links; tools/diagram/model.ts), laid out
 * by Graphviz's dot compiled to WebAssembly (@hpcc-js/wasm-graphviz: a real layout engine, no native
 * binary, 1.4 MB packed; the same plan gives the same SVG byte for byte). Without `--out` the SVG
 * goes to stdout.
 *
 * Exit codes: 0 drawn; 2 bad input (flags, stack file, config), before anything is planned; 1 anything else.
 */
import * as fs from "fs";
import { Graphviz } from "@hpcc-js/wasm-graphviz";
import { ConfigError } from "../config";
import { toDot } from "./diagram/dot";
import { diagramModel, DiagramModel, PlanResource } from "./diagram/model";
import { invokeFailure } from "./mock-runtime";
import { checkInput, planStack, skipSourceMappedStackTraces, UsageError } from "./plan";
import { ROOT, StackFileError } from "./stack-files";

export const DIAGRAM_USAGE = "usage: npm run diagram -- <stack> [--out <file.svg>]";

export interface DiagramOptions {
    stack: string;
    out?: string;
}

/** Parses the command line; `undefined` means --help. */
export function parseDiagramArgs(argv: string[]): DiagramOptions | undefined {
    let stack: string | undefined;
    let out: string | undefined;
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--help" || arg === "-h") return undefined;
        if (arg === "--out" || arg.startsWith("--out=")) {
            const value = arg === "--out" ? argv[++i] : arg.slice("--out=".length);
            if (!value || value.startsWith("-"))
                throw new UsageError(`--out needs a file name, such as docs/architecture-staging.svg; ${DIAGRAM_USAGE}`);
            if (!value.endsWith(".svg"))
                throw new UsageError(`--out ${JSON.stringify(value)} is not an .svg file; valid: a file name ending in .svg`);
            out = value;
        } else if (arg.startsWith("-")) throw new UsageError(`unknown option ${arg}; valid: --out <file.svg>, --help; ${DIAGRAM_USAGE}`);
        else if (stack === undefined) stack = arg;
        else throw new UsageError(`unexpected argument "${arg}"; ${DIAGRAM_USAGE}`);
    }
    if (!stack) throw new UsageError(`no stack given; ${DIAGRAM_USAGE}`);
    return out === undefined ? { stack } : { stack, out };
}

/** The model of a stack's plan. */
export async function stackDiagramModel(stack: string, root = ROOT): Promise<DiagramModel> {
    checkInput(stack, root);
    const { run } = await planStack(stack, root);
    return diagramModel(
        run.resources as PlanResource[],
        `archivematica-infra: ${stack} (from the offline plan; npm run diagram -- ${stack})`,
    );
}

/** Renders DOT to SVG with Graphviz's dot layout. */
export async function renderSvg(dot: string): Promise<string> {
    const graphviz = await Graphviz.load();
    return graphviz.dot(dot, "svg");
}

/** The SVG of a stack. */
export async function stackSvg(stack: string, root = ROOT): Promise<string> {
    return renderSvg(toDot(await stackDiagramModel(stack, root)));
}

function isBadInput(e: unknown): boolean {
    return e instanceof UsageError || e instanceof StackFileError || e instanceof ConfigError;
}

function oneLine(e: unknown): string {
    const message = e instanceof Error ? e.message : String(e);
    return message.split("\n").find((l) => l.trim()) ?? "unknown error";
}

/** Where the command writes. */
export interface DiagramOutput {
    out: (text: string) => void;
    err: (text: string) => void;
}

/** The whole command; returns the exit code. */
export async function runDiagramCommand(
    argv: string[],
    io: DiagramOutput = { out: (t) => void process.stdout.write(t), err: (t) => console.error(t) },
    root = ROOT,
): Promise<number> {
    let options: DiagramOptions | undefined;
    try {
        options = parseDiagramArgs(argv);
        if (!options) {
            io.out(`${DIAGRAM_USAGE}\n\nDraws the stack's architecture from its offline plan as SVG (Graphviz dot, in WebAssembly).\n`);
            return 0;
        }
        const svg = await stackSvg(options.stack, root);
        if (options.out) {
            fs.writeFileSync(options.out, svg);
            io.err(`wrote ${options.out}`);
        } else io.out(svg);
        return 0;
    } catch (e) {
        if (!isBadInput(e)) throw e;
        for (const line of (e instanceof ConfigError ? e.message : oneLine(e)).split("\n")) io.err(`error: ${line}`);
        return 2;
    }
}

if (require.main === module) {
    const die = (e: unknown) => {
        console.error(`error: ${invokeFailure() ?? oneLine(e)}`);
        process.exit(isBadInput(e) ? 2 : 1);
    };
    process.on("unhandledRejection", die);
    process.on("uncaughtException", die);
    skipSourceMappedStackTraces();
    runDiagramCommand(process.argv.slice(2)).then((code) => process.exit(code), die);
}
