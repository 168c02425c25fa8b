/**
 * What a rule module exports and what the registry holds.
 */
import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { ControlId } from "./controls";

/** A policy of this pack: validates one resource or the whole stack. */
export type ArchivematicaPolicy = ResourceValidationPolicy | StackValidationPolicy;

/** One file under `policy/rules/`: its policy object and the controls it covers. */
export interface RuleModule {
    /** The policy object handed to `PolicyPack`. */
    policy: ArchivematicaPolicy;
    /** Controls the rule checks (Security Hub FSBP ids or project `AM.*` ids); at least one. */
    controls: readonly ControlId[];
}
