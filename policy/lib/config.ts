/**
 * Policy configuration with defaults. The CLI reconciles `--policy-pack-config` with each rule's schema
 * defaults before `configure`; a driver that sends no config for a rule (getConfig() returns `{}`) must
 * still get the same defaults, so every rule reads its config through here with the constant its schema
 * declares.
 */

/** Anything with the policy SDK's `getConfig`. */
export interface HasConfig {
    getConfig<T extends object>(): T;
}

/** The rule's config: `defaults`, overridden by every property the policy config sets. */
export function configWithDefaults<T extends object>(args: HasConfig, defaults: T): T {
    const given = args.getConfig<Partial<T>>();
    const merged: T = { ...defaults };
    for (const key of Object.keys(given) as (keyof T)[]) {
        const value = given[key];
        if (value !== undefined) merged[key] = value as T[keyof T];
    }
    return merged;
}
