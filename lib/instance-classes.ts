/**
 * RDS for MySQL 8 instance classes: the families RDS offers for the engine and the sizes each comes in.
 * A class outside this table (db.t2.*, db.serverless, a typo) is refused before anything is planned.
 */
const BURSTABLE = ["micro", "small", "medium", "large", "xlarge", "2xlarge"];
const GENERAL = ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"];

const MYSQL_FAMILIES: Record<string, readonly string[]> = {
    t3: BURSTABLE,
    t4g: BURSTABLE,
    m5: GENERAL,
    m5d: GENERAL,
    m6g: GENERAL.slice(0, 7),
    m6gd: GENERAL.slice(0, 7),
    m6i: [...GENERAL, "32xlarge"],
    m7g: GENERAL.slice(0, 7),
    m7i: [...GENERAL, "48xlarge"],
    r5: GENERAL,
    r5b: GENERAL,
    r5d: GENERAL,
    r6g: GENERAL.slice(0, 7),
    r6gd: GENERAL.slice(0, 7),
    r6i: [...GENERAL, "32xlarge"],
    r7g: GENERAL.slice(0, 7),
    r7i: [...GENERAL, "48xlarge"],
};

/** True when RDS offers the class for MySQL 8. */
export function isMysqlInstanceClass(instanceClass: string): boolean {
    const m = /^db\.([a-z0-9]+)\.([a-z0-9]+)$/.exec(instanceClass);
    return !!m && (MYSQL_FAMILIES[m[1]]?.includes(m[2]) ?? false);
}

/** Burstable classes below medium have too little memory for Performance Insights. */
export function supportsPerformanceInsights(instanceClass: string): boolean {
    return !/^db\.t[34]g?\.(micro|small)$/.test(instanceClass);
}

export const MYSQL_INSTANCE_CLASS_HINT = `db.<family>.<size> with family ${Object.keys(MYSQL_FAMILIES).join(", ")} (e.g. db.t4g.small, db.m7g.large)`;
