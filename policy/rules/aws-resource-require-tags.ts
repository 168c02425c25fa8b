/**
 * Every taggable AWS resource carries the required tags with non-empty values. "Taggable" is data:
 * `policy/data/taggable-types.json`, generated from the @pulumi/aws declarations. Provider `defaultTags`
 * count when the resource's provider is visible (the engine sends it with each resource).
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import taggable from "../data/taggable-types.json";
import { configWithDefaults } from "../lib/config";
import { ControlId } from "../lib/controls";
import { isNonEmptyString, isRecord, list, tagValue } from "../lib/values";

/** Type tokens of resources whose Args declare `tags`. */
export const TAGGABLE_TYPES: ReadonlySet<string> = new Set(taggable.types);

/** Config of this rule. */
export interface RequireTagsConfig {
    /** Tag keys every taggable resource must carry with a non-empty value. */
    requiredTags: string[];
}

/** Defaults, also declared in the config schema. */
export const DEFAULTS: RequireTagsConfig = {
    requiredTags: ["Project", "Environment", "Owner", "CostCentre", "ManagedBy"],
};

/**
 * The provider's `defaultTags.tags`. The AWS provider's inputs hold `defaultTags` as a JSON string
 * (the SDK stringifies nested provider config); an object is accepted too.
 */
export function providerDefaultTags(provider: { type: string; props: Record<string, unknown> } | undefined): Record<string, unknown> {
    if (!provider || provider.type !== "pulumi:providers:aws") return {};
    let defaults: unknown = provider.props.defaultTags;
    if (typeof defaults === "string") {
        try {
            defaults = JSON.parse(defaults);
        } catch {
            return {};
        }
    }
    return isRecord(defaults) && isRecord(defaults.tags) ? defaults.tags : {};
}

/** See the module comment. */
export const policy: ResourceValidationPolicy = {
    name: "aws-resource-require-tags",
    description:
        "Every taggable AWS resource carries the required tags (Project, Environment, Owner, CostCentre, ManagedBy by default) with non-empty values; provider defaultTags count.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            requiredTags: {
                type: "array",
                items: { type: "string", minLength: 1 },
                uniqueItems: true,
                default: DEFAULTS.requiredTags,
                description: "Tag keys every taggable resource must carry with a non-empty value.",
            },
        },
    },
    validateResource: (args, reportViolation) => {
        if (!TAGGABLE_TYPES.has(args.type)) return;
        const { requiredTags } = configWithDefaults(args, DEFAULTS);
        const tags = args.props.tags;
        const defaults = providerDefaultTags(args.provider);
        const missing = requiredTags.filter((key) => !isNonEmptyString(tagValue(tags, key)) && !isNonEmptyString(defaults[key]));
        if (missing.length > 0) {
            reportViolation(`missing or empty required tags: ${list(missing)} (required: ${list(requiredTags)})`);
        }
    },
};

/** Tagging controls this rule satisfies for the resources they cover. */
export const controls: readonly ControlId[] = ["ECS.13", "ECS.14", "ECS.15", "EFS.5"];
