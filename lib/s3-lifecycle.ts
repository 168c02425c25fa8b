/**
 * S3 lifecycle transitions of the AIP store: the classes it may move to, each with the smallest
 * transition age S3 accepts (API reference, Transition.Days: STANDARD_IA needs 30 days,
 * INTELLIGENT_TIERING and GLACIER_IR 0). Only classes the Storage Service can read with a plain GET:
 * GLACIER and DEEP_ARCHIVE need a restore request first, which its S3 space (locations/models/s3.py,
 * 0.24) never makes. The config keys (config/schema.ts) and ArchivalStorage both read this one table.
 */

/** The storage classes, in the order the config documents them. */
export const AIP_STORAGE_CLASSES = ["STANDARD_IA", "INTELLIGENT_TIERING", "GLACIER_IR"] as const;

/** A storage class the AIP store may transition to. */
export type AipStorageClass = (typeof AIP_STORAGE_CLASSES)[number];

/** S3's smallest transition age (days) for each class. */
export const TRANSITION_MINIMUM_DAYS: Readonly<Record<AipStorageClass, number>> = {
    STANDARD_IA: 30,
    INTELLIGENT_TIERING: 0,
    GLACIER_IR: 0,
};
