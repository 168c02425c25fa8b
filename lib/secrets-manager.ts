/** Secrets Manager ARNs as ECS `secrets` reference them. */

/** A Secrets Manager ARN, optionally followed by `:<json-key>:<version-stage>:<version-id>`. */
const SECRET_ARN = /^(arn:[^:]+:secretsmanager:[^:]+:\d{12}:secret:[^:]+)(:.*)?$/;

/** The base ARN of a `valueFrom` (drops a JSON-key suffix); IAM grants on the secret, not the key. */
export function secretBaseArn(valueFrom: string): string {
    const match = SECRET_ARN.exec(valueFrom);
    if (!match) throw new Error(`not a Secrets Manager ARN: ${valueFrom}`);
    return match[1];
}
