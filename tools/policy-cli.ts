/**
 * `npm run policy -- --preview <file> [--stack <stack> | --config <file>] [--pack <dir>] [--allow-unevaluated]`
 *
 * Runs the policy gate over any `pulumi preview --json` document — one written by `npm run plan --
 * <stack> --json` or by the real CLI — so a real preview can be checked offline. Prints the violations
 * grouped by resource. Exit codes: 0 the gate passes (and `--help`), 1 a mandatory violation or a rule
 * error, 2 bad input — flags, the preview file or the policy config file (one line on stderr, never a
 * stack trace), 3 a bug in the gate itself.
 *
 * A mandatory rule that cannot read a value because the preview masks it (`"[secret]"`) or does not
 * know it yet fails as "not evaluated"; `--allow-unevaluated` reports it as advisory instead, as the
 * Pulumi engine does.
 *
 * Policy config: `--stack <stack>` applies `policy/config/<stack>.json`; `--config <file>` applies that
 * file; with neither, the preview's own stack's config file when there is one, else the pack defaults.
 */
import { showName } from "../lib/printable";
import { formatVerdicts, GateError, PolicyPackProcess, readPreviewFile, runGate } from "./gate";

const USAGE = "usage: npm run policy -- --preview <file> [--stack <stack> | --config <file>] [--pack <dir>] [--allow-unevaluated]";

/** What `--help` prints. */
export const HELP = `${USAGE}

Runs the policy pack over a pulumi preview --json file, offline, as the Pulumi engine would.

  --preview <file>       the preview: npm run plan -- <stack> --json <file>, or pulumi preview --json > <file>
  --stack <stack>        apply policy/config/<stack>.json (default: the preview's own stack, when it has one)
  --config <file>        apply this policy config file instead
  --pack <dir>           the policy pack (default: policy/)
  --allow-unevaluated    a mandatory rule that cannot read a masked ("[secret]") or unknown value is
                         advisory, as in the Pulumi engine, instead of failing as "not evaluated"
  --help                 print this and exit

Exit codes: 0 passed, 1 policy violations (or a rule error), 2 bad input (flags, preview file, policy
config file), 3 an internal error of the gate.
`;

/** Parsed command line. */
export interface PolicyCliOptions {
    preview: string;
    stack?: string;
    configFile?: string;
    packDir?: string;
    allowUnevaluated?: boolean;
    help?: boolean;
}

/** Parses the arguments; throws GateError with a one-line message. */
export function parsePolicyArgs(argv: string[]): PolicyCliOptions {
    const flags: Record<string, "preview" | "stack" | "configFile" | "packDir"> = {
        "--preview": "preview",
        "--stack": "stack",
        "--config": "configFile",
        "--pack": "packDir",
    };
    const switches: Record<string, "allowUnevaluated" | "help"> = {
        "--allow-unevaluated": "allowUnevaluated",
        "--help": "help",
        "-h": "help",
    };
    // --help wins over everything else on the line, so it always prints the usage.
    if (argv.some((a) => switches[a] === "help")) return { preview: "", help: true };
    const out: Partial<PolicyCliOptions> = {};
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const sw = switches[arg];
        if (sw) {
            out[sw] = true;
            continue;
        }
        const eq = arg.indexOf("=");
        const flag = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
        const key = flags[flag];
        if (!key) {
            if (arg.startsWith("-"))
                throw new GateError(
                    `unknown option ${showName(flag)}; valid: ${[...Object.keys(flags), "--allow-unevaluated", "--help"].join(", ")}; ${USAGE}`,
                );
            throw new GateError(`unexpected argument "${showName(arg)}"; ${USAGE}`);
        }
        const value = eq > 0 && arg.startsWith("--") ? arg.slice(eq + 1) : argv[++i];
        if (value === undefined || value === "" || (eq < 0 && value.startsWith("--")))
            throw new GateError(`${showName(flag)} needs a value; ${USAGE}`);
        if (out[key] !== undefined) throw new GateError(`${showName(flag)} given twice; ${USAGE}`);
        out[key] = value;
    }
    if (!out.preview) throw new GateError(`no preview file given; ${USAGE}`);
    if (out.stack !== undefined && out.configFile !== undefined) throw new GateError(`give --stack or --config, not both; ${USAGE}`);
    return out as PolicyCliOptions;
}

/**
 * Runs the CLI; returns the exit code. Output goes to `out`, errors (one line) to `err`. `pack`, an
 * already started pack, is used unless `--pack` names another directory (tests start the pack once).
 */
export async function main(
    argv: string[],
    out: (s: string) => void = (s) => process.stdout.write(s),
    err: (s: string) => void = (s) => process.stderr.write(s),
    pack?: PolicyPackProcess,
): Promise<number> {
    try {
        const opts = parsePolicyArgs(argv);
        if (opts.help) {
            out(HELP);
            return 0;
        }
        const digest = readPreviewFile(opts.preview);
        const shared = pack && !opts.packDir ? pack : undefined;
        const result = await runGate(digest, {
            stack: opts.stack,
            configFile: opts.configFile,
            packDir: opts.packDir,
            pack: shared,
            allowUnevaluated: opts.allowUnevaluated,
        });
        out(`${formatVerdicts(result)}\n`);
        return result.passed ? 0 : 1;
    } catch (e) {
        if (e instanceof GateError) {
            err(`error: ${e.message.replace(/\s*\n\s*/g, " ")}\n`);
            return 2;
        }
        const first = (e instanceof Error ? e.message : String(e)).split("\n")[0];
        err(`error: internal error in the policy gate: ${first}\n`);
        return 3;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => {
            process.exitCode = code;
        },
        (e: unknown) => {
            process.stderr.write(
                `error: internal error in the policy gate: ${String(e instanceof Error ? e.message : e).split("\n")[0]}\n`,
            );
            process.exitCode = 3;
        },
    );
}
