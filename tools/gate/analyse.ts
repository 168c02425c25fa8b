/**
 * The analysis: the conversation the engine has with a policy pack, over a preview's resources.
 *
 * `Handshake` (the Node server leaves it unimplemented) → `ConfigureStack` → `GetAnalyzerInfo` →
 * `Configure` with the reconciled policy config → `Analyze` once per registered resource (inputs,
 * options, provider) → `AnalyzeStack` over every resource of the new state (outputs where the preview
 * has them, else inputs; parent, dependencies, property dependencies, provider).
 *
 * Deliberate differences from the CLI, all stricter: a rule that throws is reported as an error verdict
 * naming the rule and the resource, and the resource is analysed again with that rule disabled so the
 * other rules' verdicts are not lost (the engine stops at the first throw); a mandatory rule that cannot
 * read a value (masked or unknown) fails as "not evaluated" unless `allowUnevaluated` is set (the engine
 * reports it as advisory).
 */
import * as fs from "fs";
import * as path from "path";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as analyzerRpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerProto from "@pulumi/pulumi/proto/analyzer_pb";
import YAML from "yaml";
import { RecordedResource } from "../mock-runtime";
import { PolicyVerdict, PreviewDigest } from "../preview-json";
import { GateError } from "./errors";
import { JsonSchema } from "./json-schema";
import { EnforcementLevel, levelName, levelNumber } from "./levels";
import { DEFAULT_PACK_DIR, ENGINE_ADDRESS, PolicyPackProcess, REPO_ROOT, startPack, stderrSummary } from "./pack-process";
import {
    ENFORCEMENT_LEVEL_SCHEMA,
    PolicyConfigEntry,
    PolicyInfo,
    readPolicyConfigFile,
    reconcilePolicyConfig,
    resolveConfigFile,
} from "./policy-config";
import { checkPreviewDigest, parseUrn } from "./preview-file";
import { cliOrder, failUnevaluated, GateResult, toVerdict } from "./report";
import { collectResources, GateResource, optionsMessage, providerMessage } from "./resources";
import { call, isUnimplemented, ruleFailure } from "./rpc";
import { struct, toWire } from "./wire";

/** Options for {@link runGate}. */
export interface GateOptions {
    /** Stack whose policy config `<packDir>/config/<stack>.json` applies. Default: the digest's stack, when it has a config file. */
    stack?: string;
    /** A policy config file instead of the stack's (not with `stack`). */
    configFile?: string;
    /** Pack directory; default `policy/`. Ignored when `pack` is given. */
    packDir?: string;
    /** An already started pack (e.g. one per test file); the gate then leaves it running. */
    pack?: PolicyPackProcess;
    /**
     * The recorded run behind the digest. When given, each resource's wire-form inputs (secret values
     * in clear, marked secret, as the engine sends them) replace the digest's masked inputs.
     */
    recorded?: RecordedResource[];
    /** Stack tags for `ConfigureStack`; default: the CLI's project tags from Pulumi.yaml. */
    stackTags?: Record<string, string>;
    /** Concurrent `Analyze` calls; default 32. */
    concurrency?: number;
    /**
     * Report a mandatory rule that cannot read a value (masked `"[secret]"` or unknown) as the engine
     * does, advisory, instead of failing it as "not evaluated". Default false.
     */
    allowUnevaluated?: boolean;
}

/**
 * Runs the pack over the digest like `pulumi preview --policy-pack policy [--policy-pack-config <file>]`.
 * Throws GateError for bad input (preview, config, pack); returns violations and rule errors otherwise.
 */
export async function runGate(digest: PreviewDigest, opts: GateOptions = {}): Promise<GateResult> {
    checkPreviewDigest(digest, "digest");
    const packDir = opts.pack?.dir ?? opts.packDir ?? DEFAULT_PACK_DIR;
    const firstUrn = digest.steps.find((s) => s.urn)?.urn;
    const { stack: digestStack, project } = firstUrn ? parseUrn(firstUrn) : { stack: "", project: "" };
    const configFile = resolveConfigFile({ stack: opts.stack, configFile: opts.configFile, packDir }, digestStack || undefined);
    const fileConfig = configFile ? readPolicyConfigFile(configFile) : {};

    const pack = opts.pack ?? (await startPack(packDir, { stack: opts.stack ?? digestStack, project }));
    try {
        const session = new Session(pack, digest, opts);
        return await session.run(fileConfig, configFile, opts.stack ?? digestStack, project);
    } finally {
        if (!opts.pack) await pack.close();
    }
}

/** The tags the CLI gives a stack from its project file (`pulumi:project`, `pulumi:runtime`, `pulumi:description`). */
export function projectTags(project: string, file = path.join(REPO_ROOT, "Pulumi.yaml")): Record<string, string> {
    if (!fs.existsSync(file)) return {};
    try {
        const doc = YAML.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
        if (doc.name !== project) return {};
        const runtime = typeof doc.runtime === "string" ? doc.runtime : (doc.runtime as { name?: string } | undefined)?.name;
        const tags: Record<string, string> = { "pulumi:project": project };
        if (runtime) tags["pulumi:runtime"] = runtime;
        if (typeof doc.description === "string" && doc.description) tags["pulumi:description"] = doc.description;
        return tags;
    } catch {
        return {};
    }
}

/** The policies a pack reports, with the config schema the CLI validates against (`enforcementLevel` added). */
export function policiesOf(info: analyzerProto.AnalyzerInfo): PolicyInfo[] {
    return info.getPoliciesList().map((p) => {
        const schema = p.getConfigschema();
        const props = info.getSupportsconfig()
            ? {
                  ...((schema?.getProperties()?.toJavaScript() ?? {}) as Record<string, JsonSchema>),
                  enforcementLevel: ENFORCEMENT_LEVEL_SCHEMA,
              }
            : undefined;
        return {
            name: p.getName(),
            description: p.getDescription(),
            enforcementLevel: levelName(p.getEnforcementlevel()) ?? "advisory",
            configSchema: props ? { properties: props, required: schema?.getRequiredList() ?? [] } : undefined,
            stack: p.getPolicyType() === analyzerProto.PolicyType.POLICY_TYPE_STACK,
        };
    });
}

/** The pack's own initial config (`GetAnalyzerInfo`), as config entries. */
function initialConfigOf(info: analyzerProto.AnalyzerInfo): Record<string, PolicyConfigEntry> {
    const initial: Record<string, PolicyConfigEntry> = {};
    info.getInitialconfigMap().forEach((v, k) => {
        initial[k] = {
            enforcementLevel: levelName(v.getEnforcementlevel()) ?? "advisory",
            properties: (v.getProperties()?.toJavaScript() ?? undefined) as Record<string, unknown> | undefined,
        };
    });
    return initial;
}

/** One run of the gate over one digest with one pack: the RPCs in the engine's order. */
class Session {
    private readonly client: analyzerRpc.AnalyzerClient;
    private readonly started = Date.now();
    private readonly verdicts: PolicyVerdict[] = [];
    private readonly errors: PolicyVerdict[] = [];
    private readonly resources: GateResource[];
    private readonly masked: number;
    private readonly byUrn: Map<string, GateResource>;
    private readonly config: Record<string, string>;
    /** Messages that are the same in every request that carries them, built once (a message is only read when serialized). */
    private readonly inputStructs = new Map<GateResource, Struct>();
    private readonly providers = new Map<string, analyzerProto.AnalyzerProviderResource | undefined>();
    private packName = "";
    private packVersion = "";
    private reconciled: Record<string, PolicyConfigEntry> = {};

    constructor(
        private readonly pack: PolicyPackProcess,
        digest: PreviewDigest,
        private readonly opts: GateOptions,
    ) {
        this.client = pack.client;
        this.config = digest.config ?? {};
        const recorded = new Map((opts.recorded ?? []).map((r) => [r.urn, r]));
        ({ resources: this.resources, masked: this.masked } = collectResources(digest, recorded));
        this.byUrn = new Map(this.resources.map((r) => [r.urn, r]));
    }

    async run(
        fileConfig: Record<string, PolicyConfigEntry>,
        configFile: string | undefined,
        stack: string,
        project: string,
    ): Promise<GateResult> {
        await this.handshake();
        await this.configureStack(stack, project);
        const policies = await this.analyzerInfo(fileConfig, configFile);
        await this.configure(new Set());
        const analysed = await this.analyzeResources();
        await this.analyzeStack();
        return this.result(policies, configFile, analysed);
    }

    /** A failed RPC as a one-line GateError, with what the pack wrote to stderr. */
    private rpcFail(what: string, e: unknown): never {
        const stderr = this.pack.stderr();
        throw new GateError(
            `policy pack ${path.relative(process.cwd(), this.pack.dir) || "."}: ${what} failed: ${ruleFailure(e).text}${stderr ? ` (${stderrSummary(stderr)})` : ""}`,
        );
    }

    /** Handshake: the Node.js server does not implement it; the engine then carries on. */
    private async handshake(): Promise<void> {
        const hs = new analyzerProto.AnalyzerHandshakeRequest();
        hs.setEngineAddress(ENGINE_ADDRESS);
        hs.setRootDirectory(this.pack.dir);
        hs.setProgramDirectory(this.pack.dir);
        try {
            await call(this.client.handshake, this.client, hs);
        } catch (e) {
            if (!isUnimplemented(e)) this.rpcFail("Handshake", e);
        }
    }

    private async configureStack(stack: string, project: string): Promise<void> {
        const config = this.config;
        const cs = new analyzerProto.AnalyzerStackConfigureRequest();
        cs.setStack(stack);
        cs.setProject(project);
        cs.setOrganization("");
        cs.setDryRun(true);
        cs.setConfigSecretKeysList(Object.keys(config).filter((k) => config[k] === "[secret]"));
        for (const [k, v] of Object.entries(config)) cs.getConfigMap().set(k, String(v));
        for (const [k, v] of Object.entries(this.opts.stackTags ?? projectTags(project))) cs.getTagsMap().set(k, v);
        try {
            await call(this.client.configureStack, this.client, cs);
        } catch (e) {
            if (!isUnimplemented(e)) this.rpcFail("ConfigureStack", e);
        }
    }

    /** Reads the pack's name, version and policies, and reconciles the policy config with them. */
    private async analyzerInfo(fileConfig: Record<string, PolicyConfigEntry>, configFile: string | undefined): Promise<PolicyInfo[]> {
        let info: analyzerProto.AnalyzerInfo;
        try {
            info = await call(this.client.getAnalyzerInfo, this.client, new Empty());
        } catch (e) {
            return this.rpcFail("GetAnalyzerInfo", e);
        }
        this.packName = info.getName();
        this.packVersion = this.pack.yamlVersion ?? info.getVersion();
        const policies = policiesOf(info);
        this.reconciled = reconcilePolicyConfig(
            { name: this.packName, version: this.packVersion },
            policies,
            initialConfigOf(info),
            fileConfig,
            configFile ?? "(pack defaults)",
        );
        return policies;
    }

    /** Sends the reconciled config, with the `disabled` policies turned off. */
    private async configure(disabled: Set<string>): Promise<void> {
        const req = new analyzerProto.ConfigureAnalyzerRequest();
        for (const [name, c] of Object.entries(this.reconciled)) {
            const pc = new analyzerProto.PolicyConfig();
            pc.setEnforcementlevel(levelNumber(disabled.has(name) ? "disabled" : (c.enforcementLevel ?? "advisory")));
            pc.setProperties(struct((toWire(c.properties ?? {}, false) ?? {}) as Record<string, unknown>));
            req.getPolicyconfigMap().set(name, pc);
        }
        try {
            await call(this.client.configure, this.client, req);
        } catch (e) {
            this.rpcFail("Configure", e);
        }
    }

    private inputsStruct(r: GateResource): Struct {
        let s = this.inputStructs.get(r);
        if (!s) this.inputStructs.set(r, (s = struct(r.inputs)));
        return s;
    }

    private provider(r: GateResource): analyzerProto.AnalyzerProviderResource | undefined {
        if (!r.providerRef) return undefined;
        if (!this.providers.has(r.providerRef)) this.providers.set(r.providerRef, providerMessage(r, this.byUrn, this.config));
        return this.providers.get(r.providerRef);
    }

    private analyzeRequest(r: GateResource): analyzerProto.AnalyzeRequest {
        const req = new analyzerProto.AnalyzeRequest();
        req.setUrn(r.urn);
        req.setType(r.type);
        req.setName(r.name);
        req.setProperties(this.inputsStruct(r));
        req.setOptions(optionsMessage(r, true));
        const prov = this.provider(r);
        if (prov) req.setProvider(prov);
        return req;
    }

    /** `Analyze` for every registered resource, `concurrency` at a time; then again, rule by rule, for those where a rule threw. */
    private async analyzeResources(): Promise<number> {
        const toAnalyze = this.resources.filter((r) => r.analyze);
        const failed: { r: GateResource; i: number; e: unknown }[] = [];
        let next = 0;
        const worker = async () => {
            while (next < toAnalyze.length) {
                const i = next++;
                const r = toAnalyze[i];
                try {
                    const res = await call(this.client.analyze, this.client, this.analyzeRequest(r));
                    // The engine attributes every diagnostic of Analyze to the resource analysed.
                    for (const d of res.getDiagnosticsList()) this.verdicts.push(toVerdict(d, this.packVersion, r.urn));
                } catch (e) {
                    failed.push({ r, i, e });
                }
            }
        };
        await Promise.all(Array.from({ length: Math.max(1, this.opts.concurrency ?? 32) }, worker));
        for (const { r, e } of failed.sort((a, b) => a.i - b.i)) {
            const res = await this.retry(e, () => call(this.client.analyze, this.client, this.analyzeRequest(r)), r.urn);
            for (const d of res?.getDiagnosticsList() ?? []) this.verdicts.push(toVerdict(d, this.packVersion, r.urn));
        }
        return toAnalyze.length;
    }

    /** A rule error verdict: mandatory, `error: true`. */
    private errorVerdict(policy: string | undefined, text: string, urn?: string): PolicyVerdict {
        const v: PolicyVerdict = {
            policyPackName: this.packName,
            policyPackVersion: this.packVersion,
            policyName: policy ?? "(policy pack)",
            enforcementLevel: "mandatory",
            message: text,
            error: true,
        };
        if (urn) v.urn = urn;
        return v;
    }

    /**
     * A rule threw: report it, then run the request again without that rule (config is global in the
     * pack, so one resource at a time), until the remaining rules pass through.
     */
    private async retry<T>(first: unknown, run: () => Promise<T>, urn: string | undefined): Promise<T | undefined> {
        const disabled = new Set<string>();
        let e = first;
        for (;;) {
            const f = ruleFailure(e);
            this.errors.push(this.errorVerdict(f.policy, f.text, urn));
            if (!f.policy || disabled.has(f.policy) || !(f.policy in this.reconciled)) return undefined;
            disabled.add(f.policy);
            await this.configure(disabled);
            try {
                return await run();
            } catch (again) {
                e = again;
            } finally {
                await this.configure(new Set());
            }
        }
    }

    /** The `AnalyzeStack` view of one resource: outputs where the preview has them, else inputs. */
    private stackResource(r: GateResource): analyzerProto.AnalyzerResource {
        const m = new analyzerProto.AnalyzerResource();
        m.setUrn(r.urn);
        m.setType(r.type);
        m.setName(r.name);
        m.setProperties(r.outputs ? struct(r.outputs) : r.custom ? this.inputsStruct(r) : struct({}));
        m.setOptions(optionsMessage(r, false));
        const prov = this.provider(r);
        if (prov) m.setProvider(prov);
        if (r.parent) m.setParent(r.parent);
        m.setDependenciesList(r.dependencies);
        for (const [k, urns] of Object.entries(r.propertyDependencies)) {
            if (!urns.length) continue;
            const pd = new analyzerProto.AnalyzerPropertyDependencies();
            pd.setUrnsList(urns);
            m.getPropertydependenciesMap().set(k, pd);
        }
        return m;
    }

    /** `AnalyzeStack` over the whole new state. Stack-level verdicts and errors without a URN belong to the stack, as in the CLI's display. */
    private async analyzeStack(): Promise<void> {
        const stackUrn = this.resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn;
        const req = new analyzerProto.AnalyzeStackRequest();
        req.setResourcesList(this.resources.map((r) => this.stackResource(r)));
        let res: analyzerProto.AnalyzeResponse | undefined;
        try {
            res = await call(this.client.analyzeStack, this.client, req);
        } catch (e) {
            if (isUnimplemented(e)) res = undefined;
            else res = await this.retry(e, () => call(this.client.analyzeStack, this.client, req), stackUrn);
        }
        for (const d of res?.getDiagnosticsList() ?? []) this.verdicts.push(toVerdict(d, this.packVersion, d.getUrn() || stackUrn));
    }

    private result(policies: PolicyInfo[], configFile: string | undefined, resourcesAnalyzed: number): GateResult {
        const levels: Record<string, EnforcementLevel> = {};
        for (const p of policies) levels[p.name] = this.reconciled[p.name]?.enforcementLevel ?? p.enforcementLevel;
        const verdicts = this.verdicts.map((v) => failUnevaluated(v, levels, this.opts.allowUnevaluated === true)).sort(cliOrder);
        const mandatoryViolations = verdicts.filter((v) => v.enforcementLevel === "mandatory").length;
        return {
            verdicts,
            errors: this.errors,
            mandatoryViolations,
            advisoryViolations: verdicts.length - mandatoryViolations,
            notEvaluated: verdicts.filter((v) => v.notEvaluated).length,
            passed: mandatoryViolations === 0 && this.errors.length === 0,
            packName: this.packName,
            packVersion: this.packVersion,
            configFile,
            levels,
            resourcesAnalyzed,
            urns: this.resources.map((r) => r.urn),
            maskedSecrets: this.masked,
            elapsedMs: Date.now() - this.started,
        };
    }
}
