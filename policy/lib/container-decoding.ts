/**
 * Container definitions read the way AWS reads them. The AWS provider decodes a task definition's
 * `containerDefinitions` JSON with Go's encoding/json into the SDK's `[]types.ContainerDefinition`
 * (hashicorp/terraform-provider-aws internal/service/ecs/container_definitions.go
 * `expandContainerDefinitions`, via internal/json/decode.go `DecodeFromString`), so:
 *
 * - a member name matches a field case-insensitively (encoding/json: "preferring an exact match but also
 *   accepting a case-insensitive match", with Unicode simple folding: `ſ` is an `s`, the Kelvin sign a
 *   `k`), and of repeated members the last wins: `"Privileged": true` is privileged;
 * - members that name no field are ignored; a value of the wrong JSON type for its field is an error;
 * - the text may hold several JSON values, decoded one over the other.
 *
 * Rules must see that same reading, so the definitions are normalised to the fields' own names before
 * any rule runs. What a person and the provider would read differently is refused rather than guessed:
 * a field given twice (`privileged` and `Privileged`, or one name twice), or several JSON values.
 * The fields are the ECS API's ContainerDefinition (Amazon ECS API Reference, ContainerDefinition,
 * and the types it nests; aws-sdk-go-v2 service/ecs/types).
 */
import { isJsonObject, JsonTree, parseJsonValues } from "./json-pairs";

/** The type of a field, as the Go struct declares it. */
type FieldType = "string" | "bool" | "int" | "map" | { list: FieldType } | { struct: Record<string, FieldType> };

const S: FieldType = "string";
const B: FieldType = "bool";
const I: FieldType = "int";
const M: FieldType = "map";
const list = (t: FieldType): FieldType => ({ list: t });
const struct = (fields: Record<string, FieldType>): FieldType => ({ struct: fields });
const SECRET = struct({ name: S, valueFrom: S });

/** ContainerDefinition and the types it nests. */
const CONTAINER: Record<string, FieldType> = {
    command: list(S),
    cpu: I,
    credentialSpecs: list(S),
    dependsOn: list(struct({ containerName: S, condition: S })),
    disableNetworking: B,
    dnsSearchDomains: list(S),
    dnsServers: list(S),
    dockerLabels: M,
    dockerSecurityOptions: list(S),
    entryPoint: list(S),
    environment: list(struct({ name: S, value: S })),
    environmentFiles: list(struct({ value: S, type: S })),
    essential: B,
    extraHosts: list(struct({ hostname: S, ipAddress: S })),
    firelensConfiguration: struct({ type: S, options: M }),
    healthCheck: struct({ command: list(S), interval: I, timeout: I, retries: I, startPeriod: I }),
    hostname: S,
    image: S,
    interactive: B,
    links: list(S),
    linuxParameters: struct({
        capabilities: struct({ add: list(S), drop: list(S) }),
        devices: list(struct({ hostPath: S, containerPath: S, permissions: list(S) })),
        initProcessEnabled: B,
        maxSwap: I,
        sharedMemorySize: I,
        swappiness: I,
        tmpfs: list(struct({ containerPath: S, mountOptions: list(S), size: I })),
    }),
    logConfiguration: struct({ logDriver: S, options: M, secretOptions: list(SECRET) }),
    memory: I,
    memoryReservation: I,
    mountPoints: list(struct({ containerPath: S, readOnly: B, sourceVolume: S })),
    name: S,
    portMappings: list(struct({ appProtocol: S, containerPort: I, containerPortRange: S, hostPort: I, name: S, protocol: S })),
    privileged: B,
    pseudoTerminal: B,
    readonlyRootFilesystem: B,
    repositoryCredentials: struct({ credentialsParameter: S }),
    resourceRequirements: list(struct({ type: S, value: S })),
    restartPolicy: struct({ enabled: B, ignoredExitCodes: list(I), restartAttemptPeriod: I }),
    secrets: list(SECRET),
    startTimeout: I,
    stopTimeout: I,
    systemControls: list(struct({ namespace: S, value: S })),
    ulimits: list(struct({ hardLimit: I, name: S, softLimit: I })),
    user: S,
    versionConsistency: S,
    volumesFrom: list(struct({ readOnly: B, sourceContainer: S })),
    workingDirectory: S,
};

/**
 * encoding/json's folding of a name (fold.go `foldName`): ASCII upper-cased, other characters to the
 * smallest of their Unicode simple-fold orbit — of which only `ſ` (U+017F) and the Kelvin sign (U+212A)
 * fold onto ASCII letters.
 */
export function foldName(name: string): string {
    let out = "";
    for (const c of name) {
        if (c === "\u017f") out += "S";
        else if (c === "\u212a") out += "K";
        else if (c.charCodeAt(0) < 0x80) out += c.toUpperCase();
        else out += c;
    }
    return out;
}

/** What every container rule reports when the definitions are not a JSON array of objects. */
export const UNREADABLE_CONTAINERS = "containerDefinitions is not a JSON array of container definitions";

/** A container definition that cannot be read as AWS reads it: the reason. */
export class ContainerDecodingError extends Error {}

const TYPE_WORDS: Record<string, string> = { string: "a string", bool: "a boolean", int: "a whole number", map: "a map of strings" };

function typeWord(t: FieldType): string {
    if (typeof t === "string") return TYPE_WORDS[t];
    return "list" in t ? "a list" : "an object";
}

function jsonWord(v: JsonTree): string {
    if (v === null) return "null";
    if (Array.isArray(v)) return "a list";
    if (isJsonObject(v)) return "an object";
    if (typeof v === "string") return `the string ${JSON.stringify(v.length > 20 ? `${v.slice(0, 17)}...` : v)}`;
    return `the ${typeof v} ${String(v)}`;
}

function decodeValue(v: JsonTree, t: FieldType, at: string): unknown {
    if (v === null) return undefined; // Go: null leaves the zero value
    const wrong = () => {
        throw new ContainerDecodingError(`${at} is ${jsonWord(v)}, not ${typeWord(t)} (the AWS provider refuses it)`);
    };
    if (t === "string") return typeof v === "string" ? v : wrong();
    if (t === "bool") return typeof v === "boolean" ? v : wrong();
    if (t === "int") return typeof v === "number" && Number.isInteger(v) && Math.abs(v) < 2 ** 31 ? v : wrong();
    if (t === "map") {
        if (!isJsonObject(v)) return wrong();
        const out: Record<string, string> = {};
        for (const [k, x] of v.members) {
            if (Object.prototype.hasOwnProperty.call(out, k))
                throw new ContainerDecodingError(`${at} sets "${k}" twice; the provider reads the last: remove one`);
            if (typeof x !== "string")
                throw new ContainerDecodingError(`${at}["${k}"] is ${jsonWord(x)}, not a string (the AWS provider refuses it)`);
            Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
        }
        return out;
    }
    if ("list" in t) return Array.isArray(v) ? v.map((x, i) => decodeValue(x, t.list, `${at}[${i}]`)) : wrong();
    return isJsonObject(v) ? decodeStruct(v.members, t.struct, at) : wrong();
}

/** A struct's members to its fields, by encoding/json's matching; a field given twice is refused. */
function decodeStruct(members: [string, JsonTree][], fields: Record<string, FieldType>, at: string): Record<string, unknown> {
    const byFold = new Map(Object.keys(fields).map((f) => [foldName(f), f]));
    const given = new Map<string, string>();
    const out: Record<string, unknown> = {};
    for (const [name, value] of members) {
        const field = Object.prototype.hasOwnProperty.call(fields, name) ? name : byFold.get(foldName(name));
        if (!field) continue; // encoding/json ignores members that name no field
        const before = given.get(field);
        if (before !== undefined)
            throw new ContainerDecodingError(
                `${at} sets ${field} twice (${JSON.stringify(before)} and ${JSON.stringify(name)}); the AWS provider reads the last, a reader may see the first: keep one`,
            );
        given.set(field, name);
        const decoded = decodeValue(value, fields[field], `${at}.${field}`);
        if (decoded !== undefined) out[field] = decoded;
    }
    return out;
}

/** The container definitions in `text`, normalised to the fields' own names; ContainerDecodingError otherwise. */
export function decodeContainerDefinitions(text: string): Record<string, unknown>[] {
    let values: JsonTree[];
    try {
        values = parseJsonValues(text);
    } catch {
        throw new ContainerDecodingError(UNREADABLE_CONTAINERS);
    }
    if (values.length > 1)
        throw new ContainerDecodingError(
            `containerDefinitions holds ${values.length} JSON values, which the AWS provider decodes one over the other; give one array`,
        );
    const [top] = values;
    if (!Array.isArray(top) || !top.every(isJsonObject)) throw new ContainerDecodingError(UNREADABLE_CONTAINERS);
    return top.map((c, i) => {
        if (!isJsonObject(c)) throw new ContainerDecodingError(UNREADABLE_CONTAINERS);
        return decodeStruct(c.members, CONTAINER, `container #${i + 1}`);
    });
}
