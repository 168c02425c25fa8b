/**
 * The one place tags are merged. Every taggable resource gets the stack's required tags explicitly
 * (provider `defaultTags` never reach resource inputs, so the policy pack could not see them), plus a
 * `Name` and any resource-specific tags.
 */
export type Tags = Record<string, string>;

/**
 * Merges the required tags with a `Name` tag and extras. Required tags win over extras so that no
 * component can blank out Owner or CostCentre by accident.
 */
export function mergeTags(required: Tags, name: string, extra: Tags = {}): Tags {
    return { ...extra, Name: name, ...required };
}
