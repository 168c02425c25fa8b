/** A catalogue context for one stack, as plain values, that the catalogue tests override field by field. */
import type { CatalogueContext } from "../../components/app/catalogue";

export const NS = "staging.archivematica.internal";
export const DASHBOARD_TG = "arn:aws:elasticloadbalancing:eu-west-2:123456789012:targetgroup/am-dashboard/0123456789abcdef";
export const SS_TG = "arn:aws:elasticloadbalancing:eu-west-2:123456789012:targetgroup/am-ss/fedcba9876543210";

export function ctx(overrides: Partial<CatalogueContext> = {}): CatalogueContext {
    return {
        version: "1.18",
        sizeProfile: "small",
        namespace: NS,
        database: { host: "db.example.internal", port: "3306", appUsername: "archivematica", mcpDatabaseName: "MCP", ssDatabaseName: "SS" },
        search: { enabled: "true", hasUrl: true },
        hostnames: { dashboard: "am.example.org", storageService: "ss.example.org" },
        targetGroups: { dashboard: DASHBOARD_TG, storageService: SS_TG },
        timeZone: "Europe/London",
        maxTransferSizeGiB: 20,
        environment: "staging",
        mcpClient: { workers: 3, maxTasksPerChild: 25, desiredCount: 2, minCount: 1, maxCount: 4 },
        bootstrap: {
            adminUsername: "admin",
            adminEmail: "archivist@example.org",
            organisationName: "Example Archives",
            organisationId: "example",
        },
        archivalStorage: {
            region: "eu-west-2",
            transferSourceBucket: "am-transfers",
            aipStoreBucket: "am-aips",
            dipStoreBucket: "am-dips",
            storageServiceStatements: [
                {
                    Sid: "ArchivalBucketsList",
                    Effect: "Allow",
                    Action: ["s3:GetBucketLocation", "s3:ListBucket"],
                    Resource: ["arn:aws:s3:::am-aips"],
                },
            ],
        },
        ...overrides,
    };
}
