/**
 * `npm run check`: everything `npm test` checks besides the tests — the type check of both
 * TypeScript projects (the program, with tools and tests, and the policy pack), ESLint with its
 * type-aware rules, and Prettier — in one command, with one line per problem and exit 1 on any.
 *
 * `tsc --noEmit` and ESLint's `projectService` would each build a TypeScript program of each project
 * (the AWS provider's declarations alone are most of that work), and the type-aware rules then ask
 * the checker about nearly every expression. Here the type check builds each program once and ESLint
 * is handed those programs (typescript-eslint's `parserOptions.programs`, whose checker has by then
 * resolved every type), so the work is done once. Each file gets the program of its nearest
 * tsconfig.json, as `projectService` assigns them: policy/ its own, everything else the root's. The
 * rules and their levels are eslint.config.mjs's, unchanged; warnings fail, as `--max-warnings 0`.
 * Prettier runs beside them, as its own process (its CLI's ignore files and config resolution).
 */
import { spawn } from "child_process";
import * as path from "path";
import { ESLint } from "eslint";
import * as ts from "typescript";
import { ROOT } from "./stack-files";

/** The TypeScript projects: their tsconfig.json and the files whose nearest tsconfig.json it is. */
export const PROJECTS: { tsconfig: string; files: string[]; ignores: string[] }[] = [
    { tsconfig: "policy/tsconfig.json", files: ["policy/**/*.ts"], ignores: [] },
    { tsconfig: "tsconfig.json", files: ["**/*.ts"], ignores: ["policy/**"] },
];

/** Parsed declaration and source files, by language version and path, shared between programs. */
export type SourceFileCache = Map<string, ts.SourceFile | undefined>;

/**
 * tsc's compiler host for `options`, reading each file through `cache`: both projects have the same
 * compiler options, so a file both programs hold (the AWS provider's declarations are most of the
 * work) is parsed and bound once for the two instead of once each.
 */
function cachingHost(options: ts.CompilerOptions, cache: SourceFileCache): ts.CompilerHost {
    const host = ts.createCompilerHost(options);
    const read = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
        const version = typeof languageVersion === "object" ? languageVersion.languageVersion : languageVersion;
        const key = `${version}:${fileName}`;
        if (!cache.has(key)) cache.set(key, read(fileName, languageVersion, onError, shouldCreate));
        return cache.get(key);
    };
    return host;
}

/** The program `tsc --noEmit -p <tsconfig>` builds, and its diagnostics (what tsc would print). */
export function typeCheck(
    tsconfig: string,
    root = ROOT,
    cache: SourceFileCache = new Map(),
): { program: ts.Program; diagnostics: readonly ts.Diagnostic[] } {
    const configErrors: ts.Diagnostic[] = [];
    const parsed = ts.getParsedCommandLineOfConfigFile(
        path.join(root, tsconfig),
        { noEmit: true },
        { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => configErrors.push(d) },
    );
    if (!parsed) return { program: ts.createProgram([], {}), diagnostics: configErrors };
    const program = ts.createProgram({
        rootNames: parsed.fileNames,
        options: parsed.options,
        host: cachingHost(parsed.options, cache),
        projectReferences: parsed.projectReferences,
        configFileParsingDiagnostics: parsed.errors,
    });
    return { program, diagnostics: ts.getPreEmitDiagnostics(program) };
}

/** Diagnostics as tsc prints them (with colour and context on a terminal). */
export function formatDiagnostics(diagnostics: readonly ts.Diagnostic[], pretty: boolean): string {
    const host: ts.FormatDiagnosticsHost = {
        getCanonicalFileName: (f) => f,
        getCurrentDirectory: () => ROOT,
        getNewLine: () => "\n",
    };
    return pretty ? ts.formatDiagnosticsWithColorAndContext(diagnostics, host) : ts.formatDiagnostics(diagnostics, host);
}

/** ESLint over the whole tree with eslint.config.mjs, each file typed by its project's program. */
export async function lint(programs: ts.Program[], root = ROOT): Promise<{ problems: number; report: string }> {
    const eslint = new ESLint({
        cwd: root,
        overrideConfig: PROJECTS.map(({ files, ignores }, i) => ({
            files,
            ignores,
            languageOptions: { parserOptions: { projectService: false, programs: [programs[i]] } },
        })),
    });
    const results = await eslint.lintFiles(["."]);
    const problems = results.reduce((n, r) => n + r.errorCount + r.warningCount, 0);
    const report = await (await eslint.loadFormatter("stylish")).format(results);
    return { problems, report };
}

/** `prettier --check .` as its own process; resolves with its exit code and what it printed. */
export function prettierCheck(root = ROOT): Promise<{ code: number; output: string }> {
    return new Promise((resolve) => {
        const child = spawn(process.execPath, [require.resolve("prettier/bin/prettier.cjs"), "--check", "."], {
            cwd: root,
            stdio: ["ignore", "pipe", "pipe"],
        });
        let output = "";
        child.stdout.on("data", (d: Buffer) => (output += d.toString("utf8")));
        child.stderr.on("data", (d: Buffer) => (output += d.toString("utf8")));
        child.on("error", (e) => resolve({ code: 2, output: `prettier: ${e.message}\n` }));
        child.on("close", (code) => resolve({ code: code ?? 2, output }));
    });
}

/**
 * The whole check; writes its report through `write` and returns the exit code (0 clean, 1 a type
 * error, a lint problem or a file Prettier would change).
 */
export async function runCheck(write: (text: string) => void = (t) => process.stdout.write(t), pretty = false): Promise<number> {
    const prettier = prettierCheck();
    let failed = false;
    const programs: ts.Program[] = [];
    const cache: SourceFileCache = new Map();
    for (const { tsconfig } of PROJECTS) {
        const { program, diagnostics } = typeCheck(tsconfig, ROOT, cache);
        programs.push(program);
        if (diagnostics.length) {
            failed = true;
            write(
                `tsc -p ${tsconfig}: ${diagnostics.length} error${diagnostics.length === 1 ? "" : "s"}\n${formatDiagnostics(diagnostics, pretty)}\n`,
            );
        }
    }
    const { problems, report } = await lint(programs);
    if (problems) {
        failed = true;
        write(`eslint: ${problems} problem${problems === 1 ? "" : "s"} (warnings fail too)\n${report}\n`);
    }
    const { code, output } = await prettier;
    if (code !== 0) {
        failed = true;
        write(`prettier --check .: exit ${code}\n${output}`);
    }
    write(failed ? "check: failed\n" : "check: types (2 projects), eslint and prettier clean\n");
    return failed ? 1 : 0;
}

if (require.main === module) {
    runCheck(undefined, process.stdout.isTTY).then(
        (code) => {
            process.exitCode = code;
        },
        (e: unknown) => {
            process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
            process.exitCode = 2;
        },
    );
}
