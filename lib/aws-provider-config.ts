/**
 * The AWS provider's configuration keys (`aws:<key>` in a stack file) and the type each value must
 * have: @pulumi/aws 7.48.0 config/vars.d.ts declares them (`string`, `boolean`, `number`, `string[]`,
 * objects), and config/vars.js reads the non-string ones with `getObject` (JSON), as the provider plugin
 * does. The valid values of the enumerated strings are the ones vars.d.ts documents. A test
 * (test/aws-facts.test.ts) keeps this table and @pulumi/aws's keys equal.
 *
 * `accessKey`, `secretKey` and `token` are long-lived credentials: a stack file is committed to git, and
 * even encrypted (`secure:`) they would be a credential outside the account's control. They are refused,
 * with the remedy: an AWS profile, or an OIDC role in CI.
 */

/** The type of a provider key's value. */
export type ProviderKeyType =
    | { kind: "string"; values?: readonly string[] }
    | { kind: "boolean" }
    | { kind: "integer"; min: number }
    | { kind: "stringList" }
    | { kind: "object"; fields: Record<string, "string" | "stringList" | "stringMap"> }
    | { kind: "objectList"; fields?: Record<string, "string" | "stringList" | "stringMap"> }
    | { kind: "credential" };

const STR: ProviderKeyType = { kind: "string" };
const BOOL: ProviderKeyType = { kind: "boolean" };
const LIST: ProviderKeyType = { kind: "stringList" };

const ASSUME_ROLE_FIELDS = {
    duration: "string",
    externalId: "string",
    policy: "string",
    policyArns: "stringList",
    roleArn: "string",
    sessionName: "string",
    sourceIdentity: "string",
    tags: "stringMap",
    transitiveTagKeys: "stringList",
} as const;

/** Every `aws:` key and its type. */
export const AWS_PROVIDER_KEYS: Readonly<Record<string, ProviderKeyType>> = {
    accessKey: { kind: "credential" },
    allowedAccountIds: LIST,
    assumeRoleWithWebIdentity: {
        kind: "object",
        fields: {
            duration: "string",
            policy: "string",
            policyArns: "stringList",
            roleArn: "string",
            sessionName: "string",
            webIdentityToken: "string",
            webIdentityTokenFile: "string",
        },
    },
    assumeRoles: { kind: "objectList", fields: ASSUME_ROLE_FIELDS },
    customCaBundle: STR,
    defaultTags: { kind: "object", fields: { tags: "stringMap" } },
    ec2MetadataServiceEndpoint: STR,
    ec2MetadataServiceEndpointMode: { kind: "string", values: ["IPv4", "IPv6"] },
    endpoints: { kind: "objectList" },
    forbiddenAccountIds: LIST,
    httpProxy: STR,
    httpsProxy: STR,
    ignoreTags: { kind: "object", fields: { keyPrefixes: "stringList", keys: "stringList" } },
    insecure: BOOL,
    maxRetries: { kind: "integer", min: 0 },
    noProxy: STR,
    profile: STR,
    region: STR,
    retryMode: { kind: "string", values: ["standard", "adaptive"] },
    s3UsEast1RegionalEndpoint: { kind: "string", values: ["legacy", "regional"] },
    s3UsePathStyle: BOOL,
    secretKey: { kind: "credential" },
    sharedConfigFiles: LIST,
    sharedCredentialsFiles: LIST,
    skipCredentialsValidation: BOOL,
    skipMetadataApiCheck: BOOL,
    skipRegionValidation: BOOL,
    skipRequestingAccountId: BOOL,
    stsRegion: STR,
    tagPolicyCompliance: { kind: "string", values: ["error", "warning", "disabled"] },
    token: { kind: "credential" },
    tokenBucketRateLimiterCapacity: { kind: "integer", min: 1 },
    useDualstackEndpoint: BOOL,
    useFipsEndpoint: BOOL,
    userAgents: LIST,
};

const isStringList = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === "string");
const isStringMap = (v: unknown) =>
    typeof v === "object" && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === "string");

function fieldsProblem(
    o: Record<string, unknown>,
    fields: Record<string, "string" | "stringList" | "stringMap"> | undefined,
): string | undefined {
    if (!fields) return undefined;
    for (const [k, v] of Object.entries(o)) {
        const want = fields[k];
        if (!want) return `has the field "${k}", which the provider does not know; valid fields: ${Object.keys(fields).join(", ")}`;
        const ok = want === "string" ? typeof v === "string" : want === "stringList" ? isStringList(v) : isStringMap(v);
        if (!ok)
            return `has "${k}" that is not ${want === "string" ? "a string" : want === "stringList" ? "a list of strings" : "a map of strings"}`;
    }
    return undefined;
}

function parseJson(text: string): { value: unknown } | undefined {
    try {
        return { value: JSON.parse(text) };
    } catch {
        return undefined;
    }
}

/** The valid values of a provider key's type, as an error line shows them. */
export function providerKeyValid(type: ProviderKeyType): string {
    switch (type.kind) {
        case "string":
            return type.values ? type.values.join(", ") : "a string";
        case "boolean":
            return "true, false";
        case "integer":
            return `a whole number from ${type.min}`;
        case "stringList":
            return "a list of strings";
        case "object":
            return `a map with ${Object.keys(type.fields).join(", ")}`;
        case "objectList":
            return "a list of maps";
        case "credential":
            return "unset: use an AWS profile (aws:profile, or AWS_PROFILE) or, in CI, an OIDC role (aws:assumeRoleWithWebIdentity or the CI's role credentials)";
    }
}

/** What is wrong with a provider key's value (its Pulumi string), or undefined. */
export function providerValueProblem(type: ProviderKeyType, text: string): string | undefined {
    switch (type.kind) {
        case "credential":
            return "is a long-lived AWS credential in a stack file that is committed to git (encrypted or not)";
        case "string":
            return type.values && !type.values.includes(text) ? `"${text}" is not allowed` : undefined;
        case "boolean":
            return text === "true" || text === "false" ? undefined : `"${text}" is not a boolean`;
        case "integer":
            return /^\d+$/.test(text) && Number(text) >= type.min && Number.isSafeInteger(Number(text))
                ? undefined
                : `"${text}" is not a whole number from ${type.min}`;
        case "stringList": {
            const parsed = parseJson(text);
            return parsed && isStringList(parsed.value) ? undefined : "is not a list of strings";
        }
        case "object": {
            const parsed = parseJson(text);
            if (!parsed || typeof parsed.value !== "object" || parsed.value === null || Array.isArray(parsed.value)) return "is not a map";
            return fieldsProblem(parsed.value as Record<string, unknown>, type.fields);
        }
        case "objectList": {
            const parsed = parseJson(text);
            if (
                !parsed ||
                !Array.isArray(parsed.value) ||
                !parsed.value.every((x) => typeof x === "object" && x !== null && !Array.isArray(x))
            )
                return "is not a list of maps";
            for (const item of parsed.value) {
                const p = fieldsProblem(item as Record<string, unknown>, type.fields);
                if (p) return p;
            }
            return undefined;
        }
    }
}
