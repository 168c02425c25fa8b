/**
 * The keys of a stack file that are not the project's: the AWS provider's (`aws:`) and the Pulumi
 * engine's (`pulumi:`). Each known key is checked for what its reader accepts; nothing is passed through
 * unread. One line per problem: `<key>: <problem>; valid: <values>`.
 *
 * - `aws:` keys: the type @pulumi/aws declares (lib/aws-provider-config.ts); `aws:region` and
 *   `aws:stsRegion` from the Region table (lib/aws-regions.ts); account ids of twelve digits; long-lived
 *   credentials refused with the remedy.
 * - `pulumi:` keys the engine and CLI read: `pulumi:disable-default-providers` (engine,
 *   pkg/resource/deploy/default_providers.go `shouldDenyRequest`: a JSON list of package names or `*`;
 *   this program creates every resource through the default `aws` and `random` providers, so listing
 *   either, or `*`, would make every registration fail), `pulumi:autonaming` (CLI,
 *   pkg/cmd/pulumi/autonaming/config.go: changes the physical names every provider gives, which neither
 *   the offline plan nor the policy pack can see) and `pulumi:tags` (stack tags,
 *   sdk/go/common/workspace/project.go `PulumiTagsConfigKey`: a map of strings). Any other `pulumi:` key
 *   is read by nobody.
 */
import { AWS_PROVIDER_KEYS, providerKeyValid, providerValueProblem } from "../lib/aws-provider-config";
import { PLANNABLE_REGIONS, regionFacts } from "../lib/aws-regions";
import { showName, showValue } from "../lib/printable";

/** Packages whose default providers the program uses: none of them may be disabled. */
export const DEFAULT_PROVIDER_PACKAGES = ["aws", "random"] as const;

/** The `pulumi:` keys the CLI and engine read, and what this program allows of each. */
export const PULUMI_KEYS = ["pulumi:disable-default-providers", "pulumi:tags", "pulumi:autonaming"] as const;

const REGION_VALID = `an AWS Region such as eu-west-2 (one of ${PLANNABLE_REGIONS.length} with published Availability Zones)`;

/** What is wrong with an AWS Region name for a stack, or undefined. */
export function regionProblem(region: string): string | undefined {
    const facts = regionFacts(region);
    if (!facts) return `${showValue(region)} is not an AWS Region`;
    if (facts.zones === undefined)
        return `${showValue(region)} is in the isolated ${facts.partition} partition, whose Availability Zones are not published, so it cannot be planned`;
    return undefined;
}

const line = (key: string, problem: string, valid: string) => `${showName(key)}: ${problem}; valid: ${valid}`;

function parseJson(text: string): { value: unknown } | undefined {
    try {
        return { value: JSON.parse(text) };
    } catch {
        return undefined;
    }
}

function awsKeyProblem(key: string, text: string, secret: boolean): string | undefined {
    const name = key.slice("aws:".length);
    const type = AWS_PROVIDER_KEYS[name];
    if (!type) return undefined; // an unknown key is reported by the key check, with a did-you-mean
    if (type.kind === "credential") return line(key, providerValueProblem(type, text)!, providerKeyValid(type));
    if (secret) return undefined; // an encrypted value cannot be read offline
    const problem = providerValueProblem(type, text);
    if (problem) return line(key, problem, providerKeyValid(type));
    if (name === "region" || name === "stsRegion") {
        const p = regionProblem(text);
        if (p) return line(key, p, REGION_VALID);
    }
    if (name === "allowedAccountIds" || name === "forbiddenAccountIds") {
        const bad = (JSON.parse(text) as string[]).find((id) => !/^\d{12}$/.test(id));
        if (bad !== undefined) return line(key, `item ${showValue(bad)} is not an AWS account id`, "a list of 12-digit account ids");
    }
    return undefined;
}

function pulumiKeyProblem(key: string, text: string): string | undefined {
    switch (key) {
        case "pulumi:disable-default-providers": {
            if (text === "") return undefined; // the engine reads "" as an empty list
            const parsed = parseJson(text);
            if (!parsed || !Array.isArray(parsed.value) || !parsed.value.every((x) => typeof x === "string"))
                return line(key, "is not a list of package names", "a list of package names, without aws, random or *");
            const barred = (parsed.value as string[])
                .map((s) => s.trim())
                .filter((s) => s === "*" || (DEFAULT_PROVIDER_PACKAGES as readonly string[]).includes(s));
            if (barred.length)
                return line(
                    key,
                    `disables the default provider of ${barred.map((b) => (b === "*" ? "every package" : b)).join(" and ")}, which this program registers every resource with (the engine would refuse each registration)`,
                    "unset, or a list of other packages' names",
                );
            return undefined;
        }
        case "pulumi:tags": {
            const parsed = parseJson(text);
            const ok =
                parsed &&
                typeof parsed.value === "object" &&
                parsed.value !== null &&
                !Array.isArray(parsed.value) &&
                Object.values(parsed.value).every((v) => typeof v === "string");
            return ok ? undefined : line(key, "is not a map of stack tag names to strings", "a map such as {team: digital-preservation}");
        }
        case "pulumi:autonaming":
            return line(
                key,
                "changes the physical name every provider gives every resource, which neither the offline plan nor the policy pack sees",
                "unset (names are set by the program)",
            );
        default:
            return line(
                key,
                "is not a key the Pulumi CLI or engine reads",
                `${PULUMI_KEYS.filter((k) => k !== "pulumi:autonaming").join(", ")}`,
            );
    }
}

/**
 * Problems of the `aws:` and `pulumi:` keys, in key order. `aws:region` must be set (the program plans
 * one Region); an unknown `aws:` key is left to the key check, which suggests the nearest one.
 */
export function providerKeyProblems(values: Record<string, string>, secretKeys: ReadonlySet<string>): string[] {
    const lines: string[] = [];
    if (values["aws:region"] === undefined) lines.push(`aws:region: required key is not set; valid: ${REGION_VALID}`);
    for (const key of Object.keys(values).sort()) {
        const text = values[key];
        const problem = key.startsWith("aws:")
            ? awsKeyProblem(key, text, secretKeys.has(key))
            : key.startsWith("pulumi:")
              ? pulumiKeyProblem(key, text)
              : undefined;
        if (problem) lines.push(problem);
    }
    return lines;
}
