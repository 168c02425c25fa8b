/**
 * The functions' settings, read once from their environment (set by the stack): every problem at once,
 * one line each, naming the variable. Pure: takes the environment as a plain map.
 */

export interface CommonSettings {
    table: string;
    transferBucket: string;
    dashboardUrl: string;
    storageServiceUrl: string;
    apiUsername: string;
    dashboardApiKeySecretArn: string;
    storageServiceApiKeySecretArn: string;
    environment: string;
    /** Processing configurations shipped with the stack (the allowed prefixes), sorted. */
    configs: string[];
}

export interface StarterSettings extends CommonSettings {
    maxBytes: number;
    /** How long a claim holds before another message may take it over (≥ the function's timeout). */
    claimSeconds: number;
}

export interface MonitorSettings extends CommonSettings {
    aipBucket: string;
    graceBaseMinutes: number;
    gracePerGiBMinutes: number;
    /** Most transfers followed per run (oldest first); the rest wait for the next run. */
    followLimit: number;
}

export class SettingsError extends Error {}

type Env = Record<string, string | undefined>;

class Reader {
    readonly problems: string[] = [];
    constructor(private readonly env: Env) {}

    text(name: string, pattern: RegExp, what: string): string {
        const value = this.env[name];
        if (!value) this.problems.push(`${name}: missing`);
        else if (!pattern.test(value)) this.problems.push(`${name}: ${JSON.stringify(value)} is not ${what}`);
        return value ?? "";
    }

    integer(name: string, min: number, max: number): number {
        const raw = this.text(name, /^[0-9]+$/, "a whole number");
        const value = Number(raw);
        if (raw && /^[0-9]+$/.test(raw) && (value < min || value > max))
            this.problems.push(`${name}: ${raw} is not between ${min} and ${max}`);
        return value;
    }

    list(name: string, item: RegExp, what: string): string[] {
        const raw = this.text(name, /./, "a list");
        const items = raw.split(",").filter((s) => s !== "");
        const bad = items.filter((s) => !item.test(s));
        if (raw && (items.length === 0 || bad.length))
            this.problems.push(`${name}: ${JSON.stringify(raw)} is not a comma-separated list of ${what}`);
        return [...items].sort();
    }

    done<T>(value: T): T {
        if (this.problems.length) throw new SettingsError(this.problems.join("\n"));
        return value;
    }
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const BASE_URL = /^https?:\/\/[^/\s]+$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/;
export const CONFIG_NAME = /^[A-Za-z0-9_]{1,16}$/;

function common(r: Reader): CommonSettings {
    return {
        table: r.text("INGEST_TABLE", /^[A-Za-z0-9_.-]{3,255}$/, "a DynamoDB table name"),
        transferBucket: r.text("TRANSFER_BUCKET", BUCKET, "an S3 bucket name"),
        dashboardUrl: r.text("DASHBOARD_URL", BASE_URL, "an http(s) base URL without a path"),
        storageServiceUrl: r.text("STORAGE_SERVICE_URL", BASE_URL, "an http(s) base URL without a path"),
        apiUsername: r.text("API_USERNAME", /^[\w.@+-]{1,150}$/, "a user name"),
        dashboardApiKeySecretArn: r.text("DASHBOARD_API_KEY_SECRET_ARN", SECRET_ARN, "a Secrets Manager secret ARN"),
        storageServiceApiKeySecretArn: r.text("STORAGE_SERVICE_API_KEY_SECRET_ARN", SECRET_ARN, "a Secrets Manager secret ARN"),
        environment: r.text("ENVIRONMENT", /^[a-z][a-z0-9-]{1,19}$/, "an environment name"),
        configs: r.list("PROCESSING_CONFIGS", CONFIG_NAME, "processing configuration names"),
    };
}

export function starterSettings(env: Env): StarterSettings {
    const r = new Reader(env);
    return r.done({
        ...common(r),
        maxBytes: r.integer("MAX_PACKAGE_BYTES", 1, 5 * 2 ** 40),
        claimSeconds: r.integer("CLAIM_SECONDS", 60, 43_200),
    });
}

export function monitorSettings(env: Env): MonitorSettings {
    const r = new Reader(env);
    return r.done({
        ...common(r),
        aipBucket: r.text("AIP_BUCKET", BUCKET, "an S3 bucket name"),
        graceBaseMinutes: r.integer("START_GRACE_MINUTES", 1, 1440),
        gracePerGiBMinutes: r.integer("START_GRACE_PER_GIB_MINUTES", 0, 60),
        followLimit: r.integer("FOLLOW_LIMIT", 1, 1000),
    });
}
