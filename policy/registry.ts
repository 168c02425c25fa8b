/**
 * Every rule of the pack, once. `index.ts` hands `POLICIES` to `PolicyPack`; the meta-tests check that
 * each file under `rules/` appears here exactly once, named by convention, described and mapped to a
 * control. Order is the order the CLI lists them in.
 */
import { ArchivematicaPolicy, RuleModule } from "./lib/types";
import * as ecsTaskDefinitionRequireSingleEssentialContainer from "./rules/aws-ecs-taskdefinition-require-single-essential-container";
import * as efsFileSystemRequireEncryption from "./rules/aws-efs-filesystem-require-encryption";
import * as resourceRequireTags from "./rules/aws-resource-require-tags";

/** All rule modules. */
export const RULES: readonly RuleModule[] = [
    // Tagging
    resourceRequireTags,
    // Encryption at rest and in transit
    efsFileSystemRequireEncryption,
    // One task per service
    ecsTaskDefinitionRequireSingleEssentialContainer,
];

/** The policy objects, in registry order. */
export const POLICIES: ArchivematicaPolicy[] = RULES.map((r) => r.policy);
