/**
 * The archivematica policy pack. Rules live one per file under `rules/` and are listed in `registry.ts`;
 * per-stack levels and settings are in `config/<stack>.json`.
 */
import { PolicyPack } from "@pulumi/policy";
import { POLICIES } from "./registry";

new PolicyPack("archivematica", {
    description: "Tagging, encryption, one task per service and Security Hub FSBP controls for Archivematica on ECS Fargate.",
    enforcementLevel: "mandatory",
    policies: POLICIES,
});
